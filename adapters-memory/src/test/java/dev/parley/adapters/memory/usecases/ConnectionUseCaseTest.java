package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.NotConnected;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connect and disconnect: the per-user connection limit, and what a closing connection releases. */
class ConnectionUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final RoomName GAMES = RoomName.of("games");

    private final ParleyNode node = ParleyNode.builder().limits(ParleyNode.limits(100, 2, 10_000)).start();

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void given_user_below_the_limit_when_connects_then_admitted_with_a_session() {
        Client alice = node.connect("alice");

        assertThat(node.sessions.size()).isEqualTo(1);
        assertThat(alice.join(LOBBY).presence()).as("served as its principal").containsExactly(alice.user());
    }

    @Test
    void given_user_at_the_connection_limit_when_connects_again_then_refused_without_a_session() {
        node.connect("alice");
        node.connect("alice");
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);
        ConnectionId third = ConnectionId.random();

        ConnectOutcome outcome = node.tryConnect(third, alice);

        assertThat(outcome).isEqualTo(new ConnectOutcome.TooManyConnections(2));
        assertThat(node.client(third, alice).joinOutcome(LOBBY)).isInstanceOf(NotConnected.class);
        assertThat(node.sessions.size()).isEqualTo(2);
    }

    @Test
    void given_user_at_the_connection_limit_when_another_user_connects_then_admitted() {
        node.connect("alice");
        node.connect("alice");

        assertThat(node.tryConnect(ConnectionId.random(), new Principal(User.named("bob"), RoomGrants.NONE)))
                .isEqualTo(new ConnectOutcome.Admitted());
    }

    @Test
    void given_user_at_the_connection_limit_when_one_connection_closes_then_a_new_one_is_admitted() {
        Client first = node.connect("alice");
        node.connect("alice");
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);

        first.disconnect();

        assertThat(node.tryConnect(ConnectionId.random(), alice)).isEqualTo(new ConnectOutcome.Admitted());
        assertThat(node.tryConnect(ConnectionId.random(), alice)).isEqualTo(new ConnectOutcome.TooManyConnections(2));
    }

    @Test
    void given_connection_in_two_rooms_when_it_closes_then_it_leaves_both_and_the_others_hear_the_leaves() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.join(GAMES);
        alice.join(LOBBY);
        alice.join(GAMES);

        alice.disconnect();

        assertThat(bob.presenceEvents()).containsSubsequence(
                new RoomEvent.PresenceChanged(LOBBY, false, alice.user(), 1, alice.id));
        assertThat(bob.presenceEvents()).containsSubsequence(
                new RoomEvent.PresenceChanged(GAMES, false, alice.user(), 1, alice.id));
        assertThat(bob.presenceEvents()).filteredOn(event -> !event.joined()).hasSize(2);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presence(GAMES)).containsExactly(bob.user());
        assertThat(alice.presenceOutcome(LOBBY)).as("its session is gone").isInstanceOf(NotConnected.class);
    }

    @Test
    void given_closed_connection_when_the_room_gets_messages_then_it_is_sent_nothing_more() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        alice.disconnect();
        int before = alice.received().size();

        bob.send(LOBBY, "anyone?");

        assertThat(alice.received()).hasSize(before);
        assertThat(bob.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_user_with_two_connections_in_a_room_when_one_closes_then_no_leave_is_heard_and_the_user_stays_present() {
        Client aliceLaptop = node.connect("alice");
        Client alicePhone = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        aliceLaptop.join(LOBBY);
        alicePhone.join(LOBBY);

        aliceLaptop.disconnect();

        assertThat(bob.presenceEvents()).noneMatch(event -> !event.joined());
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user(), alicePhone.user());
    }

    @Test
    void given_last_member_of_the_node_when_it_closes_then_the_room_is_unsubscribed_from_the_bus() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        alice.join(GAMES);
        assertThat(node.memoryFanOut.subscribedRooms()).isEqualTo(2);

        alice.disconnect();

        assertThat(node.rooms.roomCount()).isZero();
        assertThat(node.memoryFanOut.subscribedRooms()).isZero();
    }

    @Test
    void given_closed_connection_when_closed_again_then_nothing_happens() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        alice.disconnect();
        int heard = bob.received().size();

        alice.disconnect();
        ParleyNode.await(node.connections.disconnect(ConnectionId.random()));

        assertThat(bob.received()).hasSize(heard);
        assertThat(node.sessions.size()).isEqualTo(1);
    }

    @Test
    void given_closed_connection_when_it_still_sends_requests_then_they_are_ignored() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        alice.disconnect();
        int events = alice.events().size();

        assertThat(alice.chatOutcome(LOBBY, node.nextMessageId(), "ghost")).isInstanceOf(NotConnected.class);
        assertThat(alice.joinOutcome(GAMES)).isInstanceOf(NotConnected.class);

        assertThat(alice.events()).hasSize(events);
        assertThat(bob.chats()).isEmpty();
        assertThat(node.rooms.roomCount()).isEqualTo(1);
    }
}
