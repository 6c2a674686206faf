package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import org.junit.jupiter.api.Test;

/** A node's own view of its connections: what it answers while Redis is down, and what it writes back. */
class LocalPresenceTest {
    private static final RoomName ROOM = RoomName.of("lobby");
    private static final User ALICE = User.named("alice");
    private static final User BOB = User.named("bob");
    private final LocalPresence presence = new LocalPresence();

    @Test
    void given_two_tabs_of_one_user_when_they_join_and_leave_then_only_the_first_in_and_last_out_are_transitions() {
        ConnectionId first = ConnectionId.of("c1");
        ConnectionId second = ConnectionId.of("c2");

        assertThat(presence.join(ROOM, first, ALICE)).isEqualTo(new PresenceChange.Joined(ALICE, 1));
        assertThat(presence.join(ROOM, second, ALICE)).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.join(ROOM, first, ALICE)).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(presence.join(ROOM, ConnectionId.of("c3"), BOB)).isEqualTo(new PresenceChange.Joined(BOB, 2));
        assertThat(presence.members(ROOM)).containsExactly(ALICE, BOB);
        assertThat(presence.leave(ROOM, first, ALICE.id())).isEqualTo(new PresenceChange.Unchanged(2));
        assertThat(presence.leave(ROOM, second, BOB.id())).as("not bob's connection")
                .isEqualTo(new PresenceChange.Unchanged(2));
        assertThat(presence.leave(ROOM, second, ALICE.id())).isEqualTo(new PresenceChange.Left(ALICE, 1));
        assertThat(presence.members(ROOM)).containsExactly(BOB);
        assertThat(presence.leave(RoomName.of("other"), second, ALICE.id())).isEqualTo(new PresenceChange.Unchanged(0));
    }

    @Test
    void given_a_limit_of_two_when_admitting_locally_then_the_limit_holds_and_releases_free_slots() {
        UserId alice = ALICE.id();
        ConnectionId first = ConnectionId.of("c1");

        assertThat(presence.admitLocally(alice, first, 2)).isTrue();
        assertThat(presence.admitLocally(alice, first, 2)).as("again").isTrue();
        assertThat(presence.admitLocally(alice, ConnectionId.of("c2"), 2)).isTrue();
        assertThat(presence.admitLocally(alice, ConnectionId.of("c3"), 2)).isFalse();
        presence.release(alice, first);
        presence.release(alice, first);
        assertThat(presence.admitLocally(alice, ConnectionId.of("c4"), 2)).isTrue();
        assertThat(presence.admitLocally(BOB.id(), ConnectionId.of("c5"), 1)).isTrue();
    }

    @Test
    void given_connections_and_memberships_when_snapshot_taken_then_it_holds_exactly_what_is_there() {
        presence.admitted(ALICE.id(), ConnectionId.of("c1"));
        presence.admitted(BOB.id(), ConnectionId.of("c2"));
        presence.release(BOB.id(), ConnectionId.of("c2"));
        presence.join(ROOM, ConnectionId.of("c1"), ALICE);
        presence.join(RoomName.of("other"), ConnectionId.of("c1"), ALICE);
        presence.leave(RoomName.of("other"), ConnectionId.of("c1"), ALICE.id());

        LocalPresence.Snapshot snapshot = presence.snapshot();

        assertThat(snapshot.connections()).containsOnlyKeys(ConnectionId.of("c1"));
        assertThat(snapshot.memberships()).containsOnlyKeys("lobby c1");
        assertThat(snapshot.memberships().get("lobby c1"))
                .isEqualTo(new LocalPresence.Membership(ROOM, ConnectionId.of("c1"), ALICE));
    }
}
