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
    void given_userBelowTheLimit_when_connects_then_admittedWithASession() {
        Client alice = node.connect("alice");

        assertThat(node.sessions.size()).isEqualTo(1);
        assertThat(alice.join(LOBBY).presence()).as("served as its principal").containsExactly(alice.user());
    }

    @Test
    void given_userAtTheConnectionLimit_when_connectsAgain_then_refusedWithoutASession() {
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
    void given_userAtTheConnectionLimit_when_anotherUserConnects_then_admitted() {
        node.connect("alice");
        node.connect("alice");

        assertThat(node.tryConnect(ConnectionId.random(), new Principal(User.named("bob"), RoomGrants.NONE)))
                .isEqualTo(new ConnectOutcome.Admitted());
    }

    @Test
    void given_userAtTheConnectionLimit_when_oneConnectionCloses_then_aNewOneIsAdmitted() {
        Client first = node.connect("alice");
        node.connect("alice");
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);

        first.disconnect();

        assertThat(node.tryConnect(ConnectionId.random(), alice)).isEqualTo(new ConnectOutcome.Admitted());
        assertThat(node.tryConnect(ConnectionId.random(), alice)).isEqualTo(new ConnectOutcome.TooManyConnections(2));
    }

    @Test
    void given_connectionInTwoRooms_when_itCloses_then_itLeavesBothAndTheOthersHearTheLeaves() {
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
    void given_closedConnection_when_theRoomGetsMessages_then_itIsSentNothingMore() {
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
    void given_userWithTwoConnectionsInARoom_when_oneCloses_then_noLeaveIsHeardAndTheUserStaysPresent() {
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
    void given_lastMemberOfTheNode_when_itCloses_then_theRoomIsUnsubscribedFromTheBus() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        alice.join(GAMES);
        assertThat(node.memoryFanOut.subscribedRooms()).isEqualTo(2);

        alice.disconnect();

        assertThat(node.rooms.roomCount()).isZero();
        assertThat(node.memoryFanOut.subscribedRooms()).isZero();
    }

    @Test
    void given_closedConnection_when_closedAgain_then_nothingHappens() {
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
    void given_closedConnection_when_itStillSendsRequests_then_theyAreIgnored() {
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
