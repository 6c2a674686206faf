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
    void given_empty_room_when_reading_then_nobody_present() {
        assertThat(presence.isEmpty()).isTrue();
        assertThat(presence.count()).isZero();
        assertThat(presence.members()).isEmpty();
        assertThat(presence.contains(ALICE.id())).isFalse();
        assertThat(presence.connectionsOf(ALICE.id())).isZero();
    }

    @Test
    void given_empty_room_when_user_joins_then_joined_with_count_one() {
        PresenceChange change = presence.join(TAB_1, ALICE);

        assertThat(change).isEqualTo(new PresenceChange.Joined(ALICE, 1));
        assertThat(presence.contains(ALICE.id())).isTrue();
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
        assertThat(presence.isEmpty()).isFalse();
    }

    @Test
    void given_user_present_when_second_tab_joins_then_unchanged_and_two_connections() {
        presence.join(TAB_1, ALICE);

        PresenceChange change = presence.join(TAB_2, ALICE);

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(2);
        assertThat(presence.count()).isEqualTo(1);
    }

    @Test
    void given_user_present_when_same_connection_joins_again_then_unchanged_and_still_one_connection() {
        presence.join(TAB_1, ALICE);

        PresenceChange change = presence.join(TAB_1, ALICE);

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(ALICE, 0));
    }

    @Test
    void given_user_with_two_tabs_when_one_leaves_then_unchanged_and_still_present() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, ALICE);

        PresenceChange change = presence.leave(TAB_1, ALICE.id());

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.contains(ALICE.id())).isTrue();
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
    }

    @Test
    void given_user_with_two_tabs_when_both_leave_then_left_only_on_the_last() {
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
    void given_user_not_present_when_leaving_then_unchanged_with_the_current_count() {
        presence.join(TAB_1, BOB);

        assertThat(presence.leave(TAB_2, ALICE.id())).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.count()).isEqualTo(1);
    }

    @Test
    void given_user_present_when_a_connection_it_does_not_have_leaves_then_unchanged_and_user_stays() {
        presence.join(TAB_1, ALICE);

        PresenceChange change = presence.leave(TAB_2, ALICE.id());

        assertThat(change).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.connectionsOf(ALICE.id())).isEqualTo(1);
    }

    @Test
    void given_user_already_left_when_leaving_again_then_unchanged() {
        presence.join(TAB_1, ALICE);
        presence.leave(TAB_1, ALICE.id());

        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Unchanged(0));
    }

    @Test
    void given_several_users_when_joining_and_leaving_then_counts_are_distinct_users_after_each_change() {
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
    void given_users_arriving_in_turn_when_listing_members_then_in_arrival_order() {
        presence.join(TAB_1, CAROL);
        presence.join(TAB_2, ALICE);
        presence.join(TAB_3, BOB);

        assertThat(presence.members()).containsExactly(CAROL, ALICE, BOB);
    }

    @Test
    void given_user_who_left_and_came_back_when_listing_members_then_listed_as_the_latest_arrival() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, BOB);
        presence.leave(TAB_1, ALICE.id());
        presence.join(TAB_1, ALICE);

        assertThat(presence.members()).containsExactly(BOB, ALICE);
    }

    @Test
    void given_user_whose_second_tab_has_a_new_name_when_listing_members_then_new_name_in_the_original_place() {
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
    void given_user_with_two_tabs_when_the_first_tab_leaves_then_the_user_keeps_their_place() {
        presence.join(TAB_1, ALICE);
        presence.join(TAB_2, BOB);
        presence.join(TAB_3, ALICE);

        presence.leave(TAB_1, ALICE.id());

        assertThat(presence.members()).containsExactly(ALICE, BOB);
    }

    @Test
    void given_member_connection_when_it_joins_again_with_a_new_name_then_unchanged_and_the_new_name_shows() {
        User renamed = new User(ALICE.id(), "Alice Liddell");
        presence.join(TAB_1, ALICE);

        assertThat(presence.join(TAB_1, renamed)).isEqualTo(new PresenceChange.Unchanged(1));

        assertThat(presence.members()).containsExactly(renamed);
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(renamed, 0));
    }

    @Test
    void given_connection_joined_as_one_user_when_it_joins_as_another_then_nothing_changes() {
        presence.join(TAB_1, ALICE);

        assertThat(presence.join(TAB_1, BOB)).isEqualTo(new PresenceChange.Unchanged(1));

        assertThat(presence.members()).containsExactly(ALICE);
        assertThat(presence.contains(BOB.id())).isFalse();
        assertThat(presence.leave(TAB_1, BOB.id())).as("not bob's membership").isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.leave(TAB_1, ALICE.id())).isEqualTo(new PresenceChange.Left(ALICE, 0));
    }

    @Test
    void given_members_when_reading_memberships_then_each_connection_with_its_user_as_an_independent_copy() {
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
    void given_members_list_when_caller_changes_it_then_presence_is_unaffected() {
        presence.join(TAB_1, ALICE);

        List<User> members = presence.members();
        members.clear();

        assertThat(presence.members()).containsExactly(ALICE);
    }

    @Test
    void given_missing_connection_or_user_when_joining_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> presence.join(null, ALICE));
        assertThatNullPointerException().isThrownBy(() -> presence.join(TAB_1, null));
        assertThatNullPointerException().isThrownBy(() -> new PresenceChange.Joined(null, 1));
        assertThatNullPointerException().isThrownBy(() -> new PresenceChange.Left(null, 1));
    }
}
