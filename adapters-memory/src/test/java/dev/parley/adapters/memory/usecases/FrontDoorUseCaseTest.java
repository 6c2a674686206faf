package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.DisconnectUserCommand;
import dev.parley.application.port.in.DisconnectUserOutcome;
import dev.parley.application.port.in.EventOutcome;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.QueryRoomsCommand;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.RoomsOutcome;
import dev.parley.application.port.in.SendEventCommand;
import dev.parley.application.port.in.SignInCommand;
import dev.parley.application.port.in.SignInOutcome;
import dev.parley.application.port.out.DisconnectReason;
import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import dev.parley.domain.Refusal;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a second front door needs of the core beyond the {@code /ws} use cases: anonymous
 * connections that sign in, member identities per room, events that nothing stores, the rooms
 * with members, and an operator ending a user's connections.
 */
class FrontDoorUseCaseTest {
    private static final RoomName ROOM = RoomName.of("private:pusher:presence-team");

    private final ParleyNode node = ParleyNode.builder().limits(ParleyNode.limits(100, 2, 10_000)).start();

    @AfterEach
    void stop() {
        node.close();
    }

    private Client anonymous(String socket) {
        return node.connect("socket-" + socket, "private:pusher:*");
    }

    private JoinOutcome.Joined joinAs(Client client, User member) {
        JoinOutcome outcome = ParleyNode.await(node.membership.join(
                new JoinRoomCommand(client.id, ROOM, Optional.empty(), Optional.of(member))));
        assertThat(outcome).isInstanceOf(JoinOutcome.Joined.class);
        ((JoinOutcome.Joined) outcome).handOver().deliver();
        return (JoinOutcome.Joined) outcome;
    }

    @Test
    void given_anonymous_connections_when_two_tabs_join_a_room_as_one_member_then_it_is_present_once_with_its_info() {
        User ann = new User(UserId.of("42"), "42", Optional.of("{\"name\":\"Ann\"}"));
        Client watcher = anonymous("w");
        joinAs(watcher, new User(UserId.of("7"), "7"));
        Client firstTab = anonymous("1");
        Client secondTab = anonymous("2");

        JoinOutcome.Joined first = joinAs(firstTab, ann);
        JoinOutcome.Joined second = joinAs(secondTab, ann);

        assertThat(first.presence()).extracting(User::id).containsExactly(UserId.of("7"), UserId.of("42"));
        assertThat(second.presence()).contains(ann);
        assertThat(watcher.presenceEvents()).as("one arrival for two tabs")
                .containsExactly(new RoomEvent.PresenceChanged(ROOM, true, ann, 2, firstTab.id));
        firstTab.disconnect();
        assertThat(watcher.presenceEvents()).hasSize(1);
        secondTab.disconnect();
        assertThat(watcher.presenceEvents()).last()
                .isEqualTo(new RoomEvent.PresenceChanged(ROOM, false, ann, 1, secondTab.id));
    }

    @Test
    void given_a_member_when_it_sends_an_event_then_the_others_hear_it_with_its_identity_and_it_does_not() {
        User ann = new User(UserId.of("42"), "42");
        Client sender = anonymous("s");
        Client other = anonymous("o");
        joinAs(sender, ann);
        joinAs(other, new User(UserId.of("7"), "7"));

        EventOutcome outcome = ParleyNode.await(node.events.send(new SendEventCommand(Requester.connection(sender.id),
                ROOM, "client-moved", "{\"x\":1}", Optional.empty())));

        assertThat(outcome).isEqualTo(new EventOutcome.Sent());
        assertThat(other.events()).contains(new RoomEvent.Broadcast(ROOM, "client-moved", "{\"x\":1}",
                Optional.of(sender.id), Optional.of(ann)));
        assertThat(sender.events()).noneMatch(event -> event instanceof RoomEvent.Broadcast);
    }

    @Test
    void given_a_connection_outside_the_room_when_it_sends_an_event_then_not_member_and_nobody_hears_it() {
        Client outsider = anonymous("x");
        Client member = anonymous("m");
        joinAs(member, new User(UserId.of("7"), "7"));

        EventOutcome outcome = ParleyNode.await(node.events.send(new SendEventCommand(Requester.connection(outsider.id),
                ROOM, "client-moved", "{}", Optional.empty())));

        assertThat(outcome).isInstanceOf(Refused.class);
        assertThat(((Refused) outcome).reason()).isEqualTo(Refusal.NOT_MEMBER);
        assertThat(member.events()).noneMatch(event -> event instanceof RoomEvent.Broadcast);
    }

    @Test
    void given_the_operator_when_it_sends_an_event_leaving_one_socket_out_then_every_other_member_hears_it() {
        Client left = anonymous("l");
        Client heard = anonymous("h");
        joinAs(left, new User(UserId.of("1"), "1"));
        joinAs(heard, new User(UserId.of("2"), "2"));

        ParleyNode.await(node.events.send(new SendEventCommand(Requester.OPERATOR, ROOM, "deploy", "done",
                Optional.of(left.id))));

        RoomEvent expected = new RoomEvent.Broadcast(ROOM, "deploy", "done", Optional.of(left.id), Optional.empty());
        assertThat(heard.events()).contains(expected);
        assertThat(left.events()).doesNotContain(expected);
    }

    @Test
    void given_anonymous_connections_when_they_sign_in_as_one_user_then_they_count_towards_its_limit() {
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);
        Client first = anonymous("1");
        Client second = anonymous("2");
        Client third = anonymous("3");

        assertThat(ParleyNode.await(node.connections.signIn(new SignInCommand(first.id, alice))))
                .isEqualTo(new SignInOutcome.SignedIn());
        assertThat(ParleyNode.await(node.connections.signIn(new SignInCommand(second.id, alice))))
                .isEqualTo(new SignInOutcome.SignedIn());
        assertThat(ParleyNode.await(node.connections.signIn(new SignInCommand(third.id, alice))))
                .as("the limit of this node is 2 per user").isEqualTo(new ConnectOutcome.TooManyConnections(2));
        assertThat(ParleyNode.await(node.connections.signIn(new SignInCommand(ConnectionId.random(), alice))))
                .isEqualTo(new NotConnected());

        first.disconnect();
        assertThat(ParleyNode.await(node.connections.signIn(new SignInCommand(third.id, alice))))
                .as("a slot freed by a close").isEqualTo(new SignInOutcome.SignedIn());
    }

    @Test
    void given_connections_signed_in_as_a_user_when_the_operator_disconnects_the_user_then_each_is_told_to_close() {
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);
        Client signedIn = anonymous("1");
        Client other = anonymous("2");
        ParleyNode.await(node.connections.signIn(new SignInCommand(signedIn.id, alice)));
        Client direct = node.connect("alice");

        DisconnectUserOutcome outcome = ParleyNode.await(node.users.disconnect(
                new DisconnectUserCommand(UserId.of("alice"))));

        assertThat(outcome).isEqualTo(new DisconnectUserOutcome.Requested(2));
        assertThat(signedIn.received()).contains(DisconnectReason.BY_OPERATOR);
        assertThat(direct.received()).contains(DisconnectReason.BY_OPERATOR);
        assertThat(other.received()).doesNotContain(DisconnectReason.BY_OPERATOR);
    }

    @Test
    void given_rooms_with_members_when_the_operator_lists_a_prefix_then_it_gets_them_by_name_with_their_counts() {
        Client ann = anonymous("a");
        Client bob = anonymous("b");
        joinAs(ann, new User(UserId.of("1"), "1"));
        joinAs(bob, new User(UserId.of("1"), "1"));
        ann.join(RoomName.of("lobby"));

        RoomsOutcome outcome = ParleyNode.await(node.queries.rooms(new QueryRoomsCommand("private:pusher:")));

        assertThat(outcome).isEqualTo(new RoomsOutcome.Rooms(
                List.of(new RoomsOutcome.RoomSummary(new RoomOccupancy(ROOM, 1, 2), Optional.empty())), false));
    }
}
