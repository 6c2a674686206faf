package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageText;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.Optional;
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

        assertThat(node.sessions.find(alice.id)).isPresent();
        assertThat(node.sessions.find(alice.id).get().principal()).isEqualTo(alice.principal);
    }

    @Test
    void given_userAtTheConnectionLimit_when_connectsAgain_then_refusedWithoutASession() {
        node.connect("alice");
        node.connect("alice");
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);
        ConnectionId third = ConnectionId.random();

        ConnectOutcome outcome = node.tryConnect(third, alice);

        assertThat(outcome).isEqualTo(ConnectOutcome.TOO_MANY_CONNECTIONS);
        assertThat(node.sessions.find(third)).isEmpty();
        assertThat(node.sessions.size()).isEqualTo(2);
    }

    @Test
    void given_userAtTheConnectionLimit_when_anotherUserConnects_then_admitted() {
        node.connect("alice");
        node.connect("alice");

        assertThat(node.tryConnect(ConnectionId.random(), new Principal(User.named("bob"), RoomGrants.NONE)))
                .isEqualTo(ConnectOutcome.ADMITTED);
    }

    @Test
    void given_userAtTheConnectionLimit_when_oneConnectionCloses_then_aNewOneIsAdmitted() {
        Client first = node.connect("alice");
        node.connect("alice");
        Principal alice = new Principal(User.named("alice"), RoomGrants.NONE);

        first.disconnect();

        assertThat(node.tryConnect(ConnectionId.random(), alice)).isEqualTo(ConnectOutcome.ADMITTED);
        assertThat(node.tryConnect(ConnectionId.random(), alice)).isEqualTo(ConnectOutcome.TOO_MANY_CONNECTIONS);
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
                new ServerMessage.Presence(LOBBY, false, alice.user(), 1));
        assertThat(bob.presenceEvents()).containsSubsequence(
                new ServerMessage.Presence(GAMES, false, alice.user(), 1));
        assertThat(bob.presenceEvents()).filteredOn(event -> !event.joined()).hasSize(2);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presence(GAMES)).containsExactly(bob.user());
        assertThat(node.sessions.find(alice.id)).isEmpty();
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
        int received = alice.received().size();

        ParleyNode.await(node.chat.send(new SendChatCommand(alice.id, node.nextRequestId(), LOBBY,
                new MessageText("ghost"), Optional.empty())));
        ParleyNode.await(node.membership.join(new JoinRoomCommand(alice.id, node.nextRequestId(), GAMES,
                Optional.empty())));

        assertThat(alice.received()).hasSize(received);
        assertThat(bob.chats()).isEmpty();
        assertThat(node.rooms.roomCount()).isEqualTo(1);
    }
}
