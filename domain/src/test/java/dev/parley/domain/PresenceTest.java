package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceTest {
    private static final User ALICE = User.named("alice");
    private static final User BOB = User.named("bob");
    private static final User CAROL = User.named("carol");
    private static final ConnectionId TAB_1 = ConnectionId.of("tab-1");
    private static final ConnectionId TAB_2 = ConnectionId.of("tab-2");
    private static final ConnectionId TAB_3 = ConnectionId.of("tab-3");

    private final Presence presence = new Presence();

    @Test
    void givenEmptyRoom_whenReading_thenNobodyPresent() {
        assertThat(presence.isEmpty()).isTrue();
        assertThat(presence.count()).isZero();
        assertThat(presence.members()).isEmpty();
        assertThat(presence.contains(ALICE.id())).isFalse();
        assertThat(presence.connectionsOf(ALICE.id())).isZero();
    }

    @Test
    void givenEmptyRoom_whenUserJoins_thenJoinedWithCountOne() {
        PresenceChange change = presence.join(TAB_1, ALICE);

        assertThat(change).isEqualTo(new PresenceChange.Joined(ALICE, 1));
        assertThat(presence.contains(ALICE.id())).isTrue();
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
        assertThat(presence.isEmpty()).isFalse();
    }

    @Test
    void givenUserPresent_whenSecondTabJoins_thenUnchangedAndTwoConnections() {
        presence.join(TAB_1, ALICE);

        PresenceChange change = presence.join(TAB_2, ALICE);

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(2);
        assertThat(presence.count()).isEqualTo(1);
    }

    @Test
    void givenUserPresent_whenSameConnectionJoinsAgain_thenUnchangedAndStillOneConnection() {
        presence.join(TAB_1, ALICE);

        PresenceChange change = presence.join(TAB_1, ALICE);

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(ALICE, 0));
    }

    @Test
    void givenUserWithTwoTabs_whenOneLeaves_thenUnchangedAndStillPresent() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, ALICE);

        PresenceChange change = presence.leave(TAB_1, ALICE.id());

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.contains(ALICE.id())).isTrue();
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
    }

    @Test
    void givenUserWithTwoTabs_whenBothLeave_thenLeftOnlyOnTheLast() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, ALICE);

        PresenceChange first = presence.leave(TAB_2, ALICE.id());
        PresenceChange last = presence.leave(TAB_1, ALICE.id());

        assertThat(first).isInstanceOf(PresenceChange.Unchanged.class);
        assertThat(last).isEqualTo(new PresenceChange.Left(ALICE, 0));
        assertThat(presence.isEmpty()).isTrue();
        assertThat(presence.contains(ALICE.id())).isFalse();
    }

    @Test
    void givenUserNotPresent_whenLeaving_thenUnchangedWithTheCurrentCount() {
        presence.join(TAB_1, BOB);

        assertThat(presence.leave(TAB_2, ALICE.id())).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.count()).isEqualTo(1);
    }

    @Test
    void givenUserPresent_whenAConnectionItDoesNotHaveLeaves_thenUnchangedAndUserStays() {
        presence.join(TAB_1, ALICE);

        PresenceChange change = presence.leave(TAB_2, ALICE.id());

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
    }

    @Test
    void givenUserAlreadyLeft_whenLeavingAgain_thenUnchanged() {
        presence.join(TAB_1, ALICE);
        presence.leave(TAB_1, ALICE.id());

        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Unchanged(0));
    }

    @Test
    void givenSeveralUsers_whenJoiningAndLeaving_thenCountsAreDistinctUsersAfterEachChange() {
        assertThat(presence.join(TAB_1, ALICE).count()).isEqualTo(1);
        assertThat(presence.join(TAB_2, BOB).count()).isEqualTo(2);
        assertThat(presence.join(TAB_3, BOB).count()).isEqualTo(2);
        assertThat(presence.join(ConnectionId.of("c"), CAROL)).isEqualTo(new PresenceChange.Joined(CAROL, 3));
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(ALICE, 2));
        assertThat(presence.leave(TAB_2, BOB.id()).count()).isEqualTo(2);
        assertThat(presence.leave(TAB_3, BOB.id())).isEqualTo(new PresenceChange.Left(BOB, 1));
        assertThat(presence.count()).isEqualTo(1);
    }

    @Test
    void givenUsersArrivingInTurn_whenListingMembers_thenInArrivalOrder() {
        presence.join(TAB_1, CAROL);
        presence.join(TAB_2, ALICE);
        presence.join(TAB_3, BOB);

        assertThat(presence.members()).containsExactly(CAROL, ALICE, BOB);
    }

    @Test
    void givenUserWhoLeftAndCameBack_whenListingMembers_thenListedAsTheLatestArrival() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, BOB);
        presence.leave(TAB_1, ALICE.id());
        presence.join(TAB_1, ALICE);

        assertThat(presence.members()).containsExactly(BOB, ALICE);
    }

    @Test
    void givenUserWhoseSecondTabHasANewName_whenListingMembers_thenNewNameInTheOriginalPlace() {
        User renamed = new User(ALICE.id(), "Alice Liddell");
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, BOB);

        PresenceChange change = presence.join(TAB_3, renamed);

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(2));
        assertThat(presence.members()).containsExactly(renamed, BOB);
        presence.leave(TAB_1, ALICE.id());
        assertThat(presence.leave(TAB_3, ALICE.id())).isEqualTo(new PresenceChange.Left(renamed, 1));
    }

    @Test
    void givenUserWithTwoTabs_whenTheFirstTabLeaves_thenTheUserKeepsTheirPlace() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, BOB);
        presence.join(TAB_3, ALICE);

        presence.leave(TAB_1, ALICE.id());

        assertThat(presence.members()).containsExactly(ALICE, BOB);
    }

    @Test
    void givenMemberConnection_whenItJoinsAgainWithANewName_thenUnchangedAndTheNewNameShows() {
        User renamed = new User(ALICE.id(), "Alice Liddell");
        presence.join(TAB_1, ALICE);

        assertThat(presence.join(TAB_1, renamed)).isEqualTo(new PresenceChange.Unchanged(1));

        assertThat(presence.members()).containsExactly(renamed);
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(renamed, 0));
    }

    @Test
    void givenConnectionJoinedAsOneUser_whenItJoinsAsAnother_thenNothingChanges() {
        presence.join(TAB_1, ALICE);

        assertThat(presence.join(TAB_1, BOB)).isEqualTo(new PresenceChange.Unchanged(1));

        assertThat(presence.members()).containsExactly(ALICE);
        assertThat(presence.contains(BOB.id())).isFalse();
        assertThat(presence.leave(TAB_1, BOB.id())).as("not bob's membership").isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(ALICE, 0));
    }

    @Test
    void givenMembers_whenReadingMemberships_thenEachConnectionWithItsUserAsAnIndependentCopy() {
        User renamed = new User(ALICE.id(), "Alice Liddell");
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, BOB);
        presence.join(TAB_3, renamed);
        presence.leave(TAB_2, BOB.id());

        Map<ConnectionId, User> memberships = presence.memberships();
        memberships.clear();

        assertThat(presence.memberships()).isEqualTo(Map.of(TAB_1, renamed, TAB_3, renamed));
    }

    @Test
    void givenMembersList_whenCallerChangesIt_thenPresenceIsUnaffected() {
        presence.join(TAB_1, ALICE);

        List<User> members = presence.members();
        members.clear();

        assertThat(presence.members()).containsExactly(ALICE);
    }

    @Test
    void givenMissingConnectionOrUser_whenJoining_thenNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> presence.join(null, ALICE));
        assertThatNullPointerException().isThrownBy(() -> presence.join(TAB_1, null));
        assertThatNullPointerException().isThrownBy(() -> new PresenceChange.Joined(null, 1));
        assertThatNullPointerException().isThrownBy(() -> new PresenceChange.Left(null, 1));
    }
}
