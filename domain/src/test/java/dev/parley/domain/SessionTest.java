package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What one connection may do: join rules and limits, writing, and the tickets of joins under way. */
class SessionTest {
    private static final Principal ALICE = new Principal(User.named("alice"), RoomGrants.of("private:team-*"));
    private static final Principal BOB = new Principal(User.named("bob"), RoomGrants.NONE);
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final RoomName TEAM = RoomName.of("private:team-dev");
    private static final Occupancy EMPTY = new Occupancy(0, false);

    private static Session session(Principal principal) {
        return new Session(ConnectionId.random(), principal, new RoomAccessPolicy(), Limits.DEFAULTS);
    }

    private static Session session(Principal principal, int roomsPerConnection, int membersPerRoom) {
        Limits d = Limits.DEFAULTS;
        Limits limits = new Limits(d.maxTextCodePoints(), d.maxDataBytes(), d.maxDataDepth(), roomsPerConnection,
                d.maxConnectionsPerUser(), membersPerRoom, d.defaultHistoryLimit(), d.maxHistoryLimit());
        return new Session(ConnectionId.random(), principal, new RoomAccessPolicy(), limits);
    }

    private static JoinTicket admitted(JoinDecision decision) {
        assertThat(decision).isInstanceOf(JoinDecision.Admitted.class);
        return ((JoinDecision.Admitted) decision).ticket();
    }

    private static AccessDecision refusal(JoinDecision decision) {
        assertThat(decision).isInstanceOf(JoinDecision.Refused.class);
        return ((JoinDecision.Refused) decision).refusal();
    }

    private static void joinRooms(Session session, int count) {
        for (int i = 0; i < count; i++) {
            admitted(session.join(RoomName.of("room-" + i), EMPTY));
        }
    }

    @Test
    void given_a_public_room_within_limits_when_joining_then_admitted_and_in_the_room() {
        Session alice = session(ALICE);

        JoinTicket ticket = admitted(alice.join(LOBBY, new Occupancy(9_999, false)));

        assertThat(ticket.room()).isEqualTo(LOBBY);
        assertThat(ticket.connection()).isEqualTo(alice.id());
        assertThat(alice.inRoom(LOBBY)).isTrue();
        assertThat(alice.isCurrent(ticket)).isTrue();
    }

    @Test
    void given_a_private_room_without_grant_or_another_users_personal_room_when_joining_then_forbidden() {
        Session bob = session(BOB);

        assertThat(codeOf(refusal(bob.join(TEAM, EMPTY)))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(codeOf(refusal(bob.join(RoomName.of("user:alice"), EMPTY)))).isEqualTo(Refusal.FORBIDDEN);
        assertThat(bob.rooms()).isEmpty();
    }

    @Test
    void given_a_forbidden_room_and_every_limit_reached_when_joining_then_forbidden_comes_first() {
        Session bob = session(BOB, 1, 1);
        joinRooms(bob, 1);

        assertThat(codeOf(refusal(bob.join(TEAM, new Occupancy(1, false))))).isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void given_a_connection_at_its_room_limit_when_joining_another_then_too_many_rooms_but_a_rejoin_is_fine() {
        Session alice = session(ALICE);
        joinRooms(alice, 100);

        AccessDecision refused = refusal(alice.join(LOBBY, EMPTY));

        assertThat(codeOf(refused)).isEqualTo(Refusal.TOO_MANY_ROOMS);
        assertThat(messageOf(refused)).contains("100");
        admitted(alice.join(RoomName.of("room-7"), new Occupancy(5, true)));
    }

    @Test
    void given_a_room_at_its_member_limit_when_a_new_user_joins_then_room_full_but_the_same_users_other_tab_is_fine() {
        Session alice = session(ALICE);

        AccessDecision refused = refusal(alice.join(LOBBY, new Occupancy(10_000, false)));

        assertThat(codeOf(refused)).isEqualTo(Refusal.ROOM_FULL);
        assertThat(messageOf(refused)).contains("lobby").contains("10000");
        admitted(alice.join(LOBBY, new Occupancy(10_000, true)));
    }

    @Test
    void given_both_limits_reached_when_joining_then_too_many_rooms_comes_first() {
        Session alice = session(ALICE, 2, 3);
        joinRooms(alice, 2);

        assertThat(codeOf(refusal(alice.join(LOBBY, new Occupancy(3, false))))).isEqualTo(Refusal.TOO_MANY_ROOMS);
    }

    @Test
    void given_a_rejoin_into_a_full_room_while_not_present_when_joining_then_room_full() {
        Session alice = session(ALICE, 2, 3);
        admitted(alice.join(LOBBY, EMPTY));

        assertThat(codeOf(refusal(alice.join(LOBBY, new Occupancy(3, false))))).isEqualTo(Refusal.ROOM_FULL);
    }

    @Test
    void given_occupancy_of_the_present_users_when_read_then_it_counts_them_and_sees_the_joiner() {
        Occupancy occupancy = Occupancy.of(java.util.List.of(User.named("alice"), User.named("carol")), UserId.of("alice"));

        assertThat(occupancy).isEqualTo(new Occupancy(2, true));
        assertThat(Occupancy.of(java.util.List.of(User.named("carol")), UserId.of("alice")).includesJoiner()).isFalse();
    }

    @Test
    void given_a_joined_room_when_writing_then_permitted_and_elsewhere_not_member() {
        Session alice = session(ALICE);
        admitted(alice.join(LOBBY, EMPTY));

        assertThat(alice.mayWrite(LOBBY)).isEqualTo(AccessDecision.PERMITTED);
        AccessDecision elsewhere = alice.mayWrite(RoomName.of("elsewhere"));
        assertThat(codeOf(elsewhere)).isEqualTo(Refusal.NOT_MEMBER);
        assertThat(messageOf(elsewhere)).contains("elsewhere");
    }

    @Test
    void given_a_private_room_when_reading_then_the_grant_decides_without_a_join() {
        assertThat(session(ALICE).mayRead(TEAM).isPermitted()).isTrue();
        assertThat(codeOf(session(BOB).mayRead(TEAM))).isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void given_a_join_under_way_when_the_connection_joins_the_room_again_then_the_first_ticket_is_stale() {
        Session alice = session(ALICE);
        JoinTicket first = admitted(alice.join(LOBBY, EMPTY));

        JoinTicket second = admitted(alice.join(LOBBY, EMPTY));

        assertThat(alice.isCurrent(first)).isFalse();
        assertThat(alice.isCurrent(second)).isTrue();
        assertThat(alice.rooms()).containsExactly(LOBBY);
    }

    @Test
    void given_a_join_under_way_when_the_connection_leaves_the_room_then_its_ticket_is_stale() {
        Session alice = session(ALICE);
        JoinTicket ticket = admitted(alice.join(LOBBY, EMPTY));

        assertThat(alice.leave(LOBBY)).contains(ALICE.user());

        assertThat(alice.isCurrent(ticket)).isFalse();
        assertThat(alice.leave(LOBBY)).as("leaving again").isEmpty();
        assertThat(alice.mayWrite(LOBBY).isPermitted()).isFalse();
    }

    @Test
    void given_a_failed_join_when_abandoned_then_the_room_is_left_unless_a_later_join_replaced_it() {
        Session alice = session(ALICE);
        JoinTicket failed = admitted(alice.join(LOBBY, EMPTY));
        alice.abandon(failed);
        assertThat(alice.inRoom(LOBBY)).isFalse();

        JoinTicket overtaken = admitted(alice.join(LOBBY, EMPTY));
        JoinTicket latest = admitted(alice.join(LOBBY, EMPTY));
        alice.abandon(overtaken);

        assertThat(alice.inRoom(LOBBY)).isTrue();
        assertThat(alice.isCurrent(latest)).isTrue();
    }

    @Test
    void given_an_open_session_when_closed_then_it_returns_its_rooms_refuses_new_joins_and_every_ticket_is_stale() {
        Session alice = session(ALICE);
        JoinTicket ticket = admitted(alice.join(LOBBY, EMPTY));
        admitted(alice.join(TEAM, EMPTY));

        assertThat(alice.close().keySet()).containsExactlyInAnyOrder(LOBBY, TEAM);

        assertThat(alice.isClosed()).isTrue();
        assertThat(alice.isCurrent(ticket)).isFalse();
        assertThat(alice.join(RoomName.of("later"), EMPTY)).isInstanceOf(JoinDecision.Closed.class);
        assertThat(alice.rooms()).isEmpty();
    }

    @Test
    void given_a_ticket_of_another_connection_when_checked_then_it_is_not_current() {
        Session alice = session(ALICE);
        admitted(alice.join(LOBBY, EMPTY));
        JoinTicket foreign = new JoinTicket(ConnectionId.random(), LOBBY, 1);

        assertThat(alice.isCurrent(foreign)).isFalse();
    }

    @Test
    void given_a_join_as_another_member_identity_when_read_back_then_the_room_knows_it_and_leave_and_close_return_it() {
        Session alice = session(ALICE);
        User member = new User(UserId.of("42"), "42", java.util.Optional.of("{\"name\":\"Alice\"}"));
        admitted(alice.join(LOBBY, EMPTY, member));
        admitted(alice.join(TEAM, EMPTY));

        assertThat(alice.memberIn(LOBBY)).contains(member);
        assertThat(alice.memberIn(TEAM)).contains(ALICE.user());
        assertThat(alice.memberIn(RoomName.of("elsewhere"))).isEmpty();
        assertThat(alice.leave(LOBBY)).contains(member);
        assertThat(alice.close()).containsExactly(java.util.Map.entry(TEAM, ALICE.user()));
    }

    @Test
    void given_a_full_room_where_the_member_identity_is_present_when_joining_as_it_then_admitted() {
        Session anonymous = session(BOB, 100, 2);

        admitted(anonymous.join(LOBBY, new Occupancy(2, true), ALICE.user()));
        assertThat(codeOf(refusal(anonymous.join(TEAM, new Occupancy(2, false), ALICE.user()))))
                .as("bob has no grant for the private room, whoever he joins as").isEqualTo(Refusal.FORBIDDEN);
    }

    @Test
    void given_an_anonymous_session_when_it_signs_in_then_it_acts_as_the_new_principal_and_keeps_its_rooms() {
        Session socket = session(new Principal(User.named("anonymous-1"), RoomGrants.NONE));
        admitted(socket.join(LOBBY, EMPTY));

        socket.signIn(ALICE);

        assertThat(socket.principal()).isEqualTo(ALICE);
        assertThat(socket.memberIn(LOBBY)).contains(User.named("anonymous-1"));
        admitted(socket.join(TEAM, EMPTY));
        assertThat(socket.memberIn(TEAM)).contains(ALICE.user());
    }
}
