package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.ErrorCode;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Joining and leaving rooms (docs/protocol.md section 3, join_room and leave_room). */
class JoinRoomUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");

    private ParleyNode node = ParleyNode.start();

    @AfterEach
    void stop() {
        node.close();
    }

    private Epoch epoch() {
        return ParleyNode.await(node.memoryStore.streamState(LOBBY)).epoch();
    }

    private static Optional<StreamPosition> since(long seq, Epoch epoch) {
        return Optional.of(new StreamPosition(seq, epoch));
    }

    // --- the ack -----------------------------------------------------------------------------

    @Test
    void given_newRoom_when_joined_then_ackCarriesTheEpochSeqZeroNoRecoveryAndTheJoinerAsPresence() {
        Client alice = node.connect("alice");

        ServerMessage.JoinAck ack = alice.join(LOBBY);

        assertThat(ack).isEqualTo(new ServerMessage.JoinAck(LOBBY, epoch(), 0, false, 0, List.of(alice.user())));
    }

    @Test
    void given_roomWithMembers_when_joined_then_ackPresenceListsEveryoneInArrivalOrder() {
        Client carol = node.connect("carol");
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        carol.join(LOBBY);
        alice.join(LOBBY);

        ServerMessage.JoinAck ack = bob.join(LOBBY);

        assertThat(ack.presence()).containsExactly(carol.user(), alice.user(), bob.user());
    }

    @Test
    void given_roomWithMessages_when_joinedWithoutSince_then_ackHasLatestSeqAndOnlyLaterMessagesArrive() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        bob.send(LOBBY, "two");
        Client alice = node.connect("alice");

        ServerMessage.JoinAck ack = alice.join(LOBBY);
        bob.send(LOBBY, "three");

        assertThat(ack.seq()).isEqualTo(2);
        assertThat(ack.recovered()).isFalse();
        assertThat(ack.replay()).isZero();
        assertThat(alice.chats()).extracting(ChatMessage::seq).containsExactly(3L);
        assertThat(alice.chats()).extracting(message -> message.text().value()).containsExactly("three");
    }

    // --- recovery ---------------------------------------------------------------------------------

    @Test
    void given_sinceInTheRoomsEpoch_when_joined_then_ackThenExactlyTheMissedMessagesInOrderThenLiveOnes() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 5; i++) {
            bob.send(LOBBY, "message " + i);
        }
        Client alice = node.connect("alice");

        ServerMessage.JoinAck ack = alice.join(LOBBY, since(2, epoch()));
        bob.send(LOBBY, "live");

        assertThat(ack.recovered()).isTrue();
        assertThat(ack.replay()).isEqualTo(3);
        assertThat(ack.seq()).isEqualTo(5);
        List<ServerMessage> received = alice.received();
        assertThat(received.get(0)).isInstanceOf(ServerMessage.Ack.class);
        assertThat(received.subList(1, received.size())).allMatch(message -> message instanceof ServerMessage.Chat);
        assertThat(alice.chatSeqs()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(alice.chats().get(0)).isEqualTo(ParleyNode.await(node.memoryStore.range(LOBBY, 2, 3)).get(0));
    }

    @Test
    void given_sinceAtTheLatestSeq_when_joined_then_recoveredWithNothingToReplay() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        Client alice = node.connect("alice");

        ServerMessage.JoinAck ack = alice.join(LOBBY, since(1, epoch()));

        assertThat(ack.recovered()).isTrue();
        assertThat(ack.replay()).isZero();
        assertThat(alice.chats()).isEmpty();
    }

    @Test
    void given_sinceOfAnotherEpoch_when_joined_then_notRecoveredAndNothingReplayed() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        bob.send(LOBBY, "two");
        Client alice = node.connect("alice");

        ServerMessage.JoinAck ack = alice.join(LOBBY, since(1, Epoch.of("other-epoch")));
        bob.send(LOBBY, "three");

        assertThat(ack.recovered()).isFalse();
        assertThat(ack.replay()).isZero();
        assertThat(ack.seq()).isEqualTo(2);
        assertThat(ack.epoch()).isEqualTo(epoch());
        assertThat(alice.chatSeqs()).containsExactly(3L);
    }

    @Test
    void given_sinceBeyondTheLatestSeq_when_joined_then_notRecovered() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "one");
        Client alice = node.connect("alice");

        ServerMessage.JoinAck ack = alice.join(LOBBY, since(7, epoch()));

        assertThat(ack.recovered()).isFalse();
        assertThat(ack.replay()).isZero();
        assertThat(alice.chats()).isEmpty();
    }

    @Test
    void given_sinceOlderThanWhatIsRetained_when_joined_then_notRecovered() {
        node.close();
        node = ParleyNode.builder().retention(3).start();
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 5; i++) {
            bob.send(LOBBY, "message " + i);
        }
        Client alice = node.connect("alice");
        Client carol = node.connect("carol");

        ServerMessage.JoinAck lost = alice.join(LOBBY, since(1, epoch()));
        ServerMessage.JoinAck justRetained = carol.join(LOBBY, since(2, epoch()));

        assertThat(lost.recovered()).isFalse();
        assertThat(lost.replay()).isZero();
        assertThat(alice.chats()).isEmpty();
        assertThat(justRetained.recovered()).isTrue();
        assertThat(carol.chatSeqs()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void given_retentionDropsMessagesWhileTheReplayIsRead_when_theJoinCompletes_then_notRecoveredRatherThanAHole() {
        node.close();
        node = ParleyNode.builder().retention(3).start();
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 3; i++) {
            bob.send(LOBBY, "before " + i);
        }
        Client alice = node.connect("alice");
        CompletableFuture<Void> rangeRead = node.store.holdRanges();
        CompletableFuture<Void> joining = node.membership.join(new JoinRoomCommand(alice.id, node.nextRequestId(),
                LOBBY, since(0, epoch())));

        bob.send(LOBBY, "evicts 1");
        bob.send(LOBBY, "evicts 2");
        rangeRead.complete(null);
        ParleyNode.await(joining);

        ServerMessage.JoinAck ack = ParleyNode.ackPayload(alice.received().get(0), ServerMessage.JoinAck.class);
        assertThat(ack.seq()).isEqualTo(3);
        assertThat(ack.recovered()).isFalse();
        assertThat(ack.replay()).isZero();
        assertThat(alice.chatSeqs()).containsExactly(4L, 5L);
    }

    @Test
    void given_messagesPostedWhileTheReplayIsRead_when_theJoinCompletes_then_noneIsMissingOrRepeated() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 3; i++) {
            bob.send(LOBBY, "before " + i);
        }
        Client alice = node.connect("alice");
        CompletableFuture<Void> rangeHeld = node.store.holdRanges();
        CompletableFuture<Void> joining = node.membership.join(new JoinRoomCommand(alice.id,
                node.nextRequestId(), LOBBY, since(1, epoch())));
        assertThat(joining).isNotDone();

        bob.send(LOBBY, "during 4");
        bob.send(LOBBY, "during 5");
        assertThat(alice.received()).as("nothing before the ack").isEmpty();
        rangeHeld.complete(null);
        ParleyNode.await(joining);
        bob.send(LOBBY, "after 6");

        List<ServerMessage> received = alice.received();
        assertThat(received.get(0)).isInstanceOf(ServerMessage.Ack.class);
        ServerMessage.JoinAck ack = ParleyNode.ackPayload(received.get(0), ServerMessage.JoinAck.class);
        assertThat(ack.seq()).isEqualTo(3);
        assertThat(ack.replay()).isEqualTo(2);
        assertThat(alice.chatSeqs()).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void given_messagesReleasedBeforeTheJoinReadsTheStreamState_when_theJoinCompletes_then_noneIsRepeatedAfterTheReplay() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        for (int i = 1; i <= 3; i++) {
            bob.send(LOBBY, "before " + i);
        }
        Client alice = node.connect("alice");
        Client carol = node.connect("carol");
        Epoch epoch = epoch();
        CompletableFuture<Void> stateRead = node.store.holdStreamStates();
        CompletableFuture<Void> aliceJoining = node.membership.join(new JoinRoomCommand(alice.id,
                node.nextRequestId(), LOBBY, since(2, epoch)));
        CompletableFuture<Void> carolJoining = node.membership.join(new JoinRoomCommand(carol.id,
                node.nextRequestId(), LOBBY, Optional.empty()));

        bob.send(LOBBY, "during 4");
        bob.send(LOBBY, "during 5");
        stateRead.complete(null);
        ParleyNode.await(aliceJoining);
        ParleyNode.await(carolJoining);
        bob.send(LOBBY, "after 6");

        ServerMessage.JoinAck aliceAck = ParleyNode.ackPayload(alice.received().get(0), ServerMessage.JoinAck.class);
        assertThat(aliceAck.seq()).isEqualTo(5);
        assertThat(aliceAck.replay()).isEqualTo(3);
        assertThat(alice.chatSeqs()).containsExactly(3L, 4L, 5L, 6L);
        ServerMessage.JoinAck carolAck = ParleyNode.ackPayload(carol.received().get(0), ServerMessage.JoinAck.class);
        assertThat(carolAck.seq()).isEqualTo(5);
        assertThat(carol.chatSeqs()).containsExactly(6L);
    }

    // --- rejoin and leave ---------------------------------------------------------------------------

    @Test
    void given_joinedConnection_when_itJoinsAgain_then_answeredAsAFreshJoinAndNothingIsDeliveredTwice() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "one");

        ServerMessage.JoinAck again = alice.join(LOBBY);
        bob.send(LOBBY, "two");
        bob.send(LOBBY, "three");

        assertThat(again).isEqualTo(new ServerMessage.JoinAck(LOBBY, epoch(), 1, false, 0,
                List.of(alice.user(), bob.user())));
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(bob.presenceEvents()).as("a rejoin is no arrival").isEmpty();
        assertThat(bob.presence(LOBBY)).containsExactly(alice.user(), bob.user());
    }

    @Test
    void given_roomNotJoined_when_left_then_acknowledged() {
        Client alice = node.connect("alice");

        ServerMessage reply = alice.leaveReply(LOBBY);

        assertThat(ParleyNode.ackPayload(reply, ServerMessage.LeaveAck.class))
                .isEqualTo(new ServerMessage.LeaveAck(LOBBY));
    }

    @Test
    void given_joinedRoom_when_left_then_acknowledgedAndNothingMoreArrives() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "one");

        ServerMessage reply = alice.leaveReply(LOBBY);
        bob.send(LOBBY, "two");

        assertThat(ParleyNode.ackPayload(reply, ServerMessage.LeaveAck.class)).isEqualTo(new ServerMessage.LeaveAck(LOBBY));
        assertThat(alice.chatSeqs()).containsExactly(1L);
        assertThat(alice.sendRefused(LOBBY, "still here?")).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
    }

    @Test
    void given_leftRoom_when_joinedAgain_then_itHearsTheRoomAgain() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        alice.leaveReply(LOBBY);
        bob.send(LOBBY, "while away");

        ServerMessage.JoinAck back = alice.join(LOBBY);
        bob.send(LOBBY, "welcome back");

        assertThat(back.seq()).isEqualTo(1);
        assertThat(alice.chatSeqs()).containsExactly(2L);
    }

    @Test
    void given_joinWaitingForThePresenceStore_when_theConnectionCloses_then_itLeavesNoGhostBehind() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        CompletableFuture<Void> presenceAnswer = node.presence.holdMembers();
        CompletableFuture<Void> joining = node.membership.join(new JoinRoomCommand(alice.id, node.nextRequestId(),
                LOBBY, Optional.empty()));
        assertThat(joining).isNotDone();

        alice.disconnect();
        presenceAnswer.complete(null);
        ParleyNode.await(joining);
        bob.send(LOBBY, "is anyone else here?");

        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).isEmpty();
        assertThat(alice.chats()).isEmpty();
        assertThat(node.connect("alice").join(RoomName.of("other")).presence()).hasSize(1);
    }

    @Test
    void given_presenceStoreAppliesAJoinAfterTheLeaveOfAConnectionThatClosed_when_theJoinCompletes_then_noGhostRemains() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        CompletableFuture<Void> joinApplied = node.presence.holdJoins();
        CompletableFuture<Void> joining = node.membership.join(new JoinRoomCommand(alice.id, node.nextRequestId(),
                LOBBY, Optional.empty()));
        assertThat(joining).isNotDone();

        alice.disconnect();
        joinApplied.complete(null);
        ParleyNode.await(joining);
        bob.send(LOBBY, "is anyone else here?");

        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).isEmpty();
        assertThat(alice.received()).isEmpty();
    }

    @Test
    void given_joinUnderWayInARoomThatClosed_when_theConnectionJoinsAgainMeanwhile_then_bothAreAnsweredAndTheLatestDelivers() {
        Client alice = node.connect("alice");
        CompletableFuture<Void> firstRoomRead = node.store.holdStreamStates();
        RequestId firstJoin = node.nextRequestId();
        CompletableFuture<Void> first = node.membership.join(new JoinRoomCommand(alice.id, firstJoin, LOBBY,
                Optional.empty()));
        node.store.stopHoldingStreamStates();
        alice.leaveReply(LOBBY);
        CompletableFuture<Void> secondRoomRead = node.store.holdStreamStates();
        RequestId secondJoin = node.nextRequestId();
        CompletableFuture<Void> second = node.membership.join(new JoinRoomCommand(alice.id, secondJoin, LOBBY,
                Optional.empty()));
        node.store.stopHoldingStreamStates();

        firstRoomRead.complete(null);
        ParleyNode.await(first);
        secondRoomRead.complete(null);
        ParleyNode.await(second);
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "hello alice");

        assertThat(node.delivery.ackTo(alice.id, firstJoin)).as("the overtaken join is answered").isPresent();
        assertThat(node.delivery.ackTo(alice.id, secondJoin)).as("the join in force is answered").isPresent();
        assertThat(alice.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_joinUnderWay_when_theConnectionLeavesBeforeItCompletes_then_bothAreAnsweredAndNothingIsHeard() {
        Client alice = node.connect("alice");
        CompletableFuture<Void> roomRead = node.store.holdStreamStates();
        RequestId join = node.nextRequestId();
        CompletableFuture<Void> joining = node.membership.join(new JoinRoomCommand(alice.id, join, LOBBY,
                Optional.empty()));
        node.store.stopHoldingStreamStates();
        alice.leaveReply(LOBBY);

        roomRead.complete(null);
        ParleyNode.await(joining);
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        bob.send(LOBBY, "hello?");

        assertThat(node.delivery.ackTo(alice.id, join)).as("the overtaken join is answered").isPresent();
        assertThat(alice.chatSeqs()).isEmpty();
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
    }

    // --- refusals ------------------------------------------------------------------------------------

    @Test
    void given_privateRoomWithoutGrant_when_joined_then_forbidden() {
        Client alice = node.connect("alice", "private:team-*");

        assertThat(alice.joinRefused(RoomName.of("private:board"))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(alice.join(RoomName.of("private:team-red")).room()).isEqualTo(RoomName.of("private:team-red"));
        assertThat(node.sessions.find(alice.id).get().rooms()).containsExactly(RoomName.of("private:team-red"));
    }

    @Test
    void given_anotherUsersPersonalRoom_when_joined_then_forbidden() {
        Client alice = node.connect("alice");

        assertThat(alice.joinRefused(RoomName.of("user:bob"))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(alice.join(RoomName.of("user:alice")).room()).isEqualTo(RoomName.of("user:alice"));
        assertThat(ParleyNode.await(node.memoryPresence.members(RoomName.of("user:bob")))).isEmpty();
    }

    @Test
    void given_connectionAtItsRoomLimit_when_joiningAnotherRoom_then_tooManyRoomsButRejoinsAreFine() {
        node.close();
        node = ParleyNode.builder().limits(ParleyNode.limits(2, 10, 10_000)).start();
        Client alice = node.connect("alice");
        alice.join(RoomName.of("one"));
        alice.join(RoomName.of("two"));

        assertThat(alice.joinRefused(RoomName.of("three"))).isEqualTo(ErrorCode.TOO_MANY_ROOMS);
        assertThat(alice.join(RoomName.of("two")).room()).isEqualTo(RoomName.of("two"));
        alice.leaveReply(RoomName.of("one"));
        assertThat(alice.join(RoomName.of("three")).room()).isEqualTo(RoomName.of("three"));
        assertThat(node.connect("alice").join(RoomName.of("four")).room()).as("the limit is per connection")
                .isEqualTo(RoomName.of("four"));
    }

    @Test
    void given_roomAtItsMemberLimit_when_anotherUserJoins_then_roomFullButTheSameUsersOtherTabIsFine() {
        node.close();
        node = ParleyNode.builder().limits(ParleyNode.limits(100, 10, 2)).start();
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);

        assertThat(node.connect("carol").joinRefused(LOBBY)).isEqualTo(ErrorCode.ROOM_FULL);
        assertThat(node.connect("alice").join(LOBBY).presence()).containsExactly(alice.user(), bob.user());
        assertThat(bob.presenceEvents()).as("refused and second-tab joins are no arrivals").isEmpty();
    }

    @Test
    void given_refusedJoin_when_theRoomGetsMessages_then_theRefusedConnectionHearsNothing() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(RoomName.of("user:bob"));

        alice.joinRefused(RoomName.of("user:bob"));
        bob.send(RoomName.of("user:bob"), "private note");

        assertThat(alice.chats()).isEmpty();
        assertThat(alice.sendRefused(RoomName.of("user:bob"), "let me in")).isEqualTo(ErrorCode.NOT_MEMBER);
    }

    @Test
    void given_historyStoreDown_when_joined_then_unavailableAndNotJoined() {
        Client bob = node.connect("bob");
        bob.join(LOBBY);
        Client alice = node.connect("alice");
        node.store.streamStateDown(true);

        ServerMessage reply = alice.joinReply(LOBBY, Optional.empty());

        assertThat(ParleyNode.errorCode(reply)).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(alice.received()).hasSize(1);
        node.store.streamStateDown(false);
        assertThat(alice.sendRefused(LOBBY, "am I in?")).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(bob.presence(LOBBY)).containsExactly(bob.user());
        assertThat(bob.presenceEvents()).isEmpty();
        bob.send(LOBBY, "one");
        assertThat(alice.chats()).isEmpty();
    }

    @Test
    void given_historyStoreDownForTheFirstJoin_when_itComesBack_then_theRoomCanBeJoined() {
        Client alice = node.connect("alice");
        node.store.streamStateDown(true);
        assertThat(ParleyNode.errorCode(alice.joinReply(LOBBY, Optional.empty()))).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(node.rooms.roomCount()).isZero();
        node.store.streamStateDown(false);

        ServerMessage.JoinAck ack = alice.join(LOBBY);
        alice.send(LOBBY, "one");

        assertThat(ack.seq()).isZero();
        assertThat(alice.chatSeqs()).containsExactly(1L);
    }
}
