package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ErrorCode;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Posting messages: chat from a member, and the operator's server publish (guarantees 1, 3 and 6). */
class ChatUseCaseTest {
    private static final RoomName LOBBY = RoomName.of("lobby");

    private final ParleyNode node = ParleyNode.start();

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void given_member_when_itSendsAChat_then_ackCarriesTheSeqAndEveryMemberGetsItTheSendersOwnIncluded() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        Client outsider = node.connect("carol");
        alice.join(LOBBY);
        bob.join(LOBBY);
        outsider.join(RoomName.of("elsewhere"));
        MessageData data = new MessageData("{\"mood\":\"happy\"}");
        RequestId id = node.nextRequestId();

        ParleyNode.await(node.chat.send(new SendChatCommand(alice.id, id, LOBBY, new MessageText("hello"),
                Optional.of(data))));

        assertThat(node.delivery.ackTo(alice.id, id)).get()
                .isEqualTo(new ServerMessage.Ack(id, new ServerMessage.ChatAck(LOBBY, 1, false)));
        ChatMessage stored = ParleyNode.await(node.memoryStore.range(LOBBY, 0, 1)).get(0);
        assertThat(stored.id()).isEqualTo(id);
        assertThat(stored.from()).isEqualTo(alice.user());
        assertThat(stored.data()).contains(data);
        assertThat(alice.chats()).containsExactly(stored);
        assertThat(bob.chats()).containsExactly(stored);
        assertThat(outsider.chats()).isEmpty();
    }

    @Test
    void given_appendNotYetDurable_when_aChatIsSent_then_theAckWaitsForTheStore() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        CompletableFuture<Void> durable = node.store.holdAppends();
        RequestId id = node.nextRequestId();

        CompletableFuture<Void> sending = node.chat.send(new SendChatCommand(alice.id, id, LOBBY,
                new MessageText("wait for it"), Optional.empty()));

        assertThat(sending).isNotDone();
        assertThat(node.delivery.repliesTo(alice.id, id)).isEmpty();
        assertThat(alice.chats()).isEmpty();
        durable.complete(null);
        ParleyNode.await(sending);
        assertThat(node.delivery.ackTo(alice.id, id)).get()
                .extracting(ServerMessage.Ack::payload).isEqualTo(new ServerMessage.ChatAck(LOBBY, 1, false));
        assertThat(alice.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_storedChat_when_theSameIdIsResent_then_ackHasTheFirstSeqAsDuplicateAndNothingIsDeliveredAgain() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        RequestId id = RequestId.of("client-generated-1");
        alice.send(LOBBY, id, "hello");
        alice.send(LOBBY, "something else");

        ServerMessage.ChatAck again = ackOfResend(alice, id, "hello");

        assertThat(again).isEqualTo(new ServerMessage.ChatAck(LOBBY, 1, true));
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L);
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L);
        assertThat(ParleyNode.await(node.memoryStore.streamState(LOBBY)).latestSeq()).isEqualTo(2);
        assertThat(node.fanOut.postedPublished()).as("a duplicate is not fanned out again").isEqualTo(2);
    }

    @Test
    void given_storedChat_when_anotherUserSendsTheSameId_then_itIsANewMessage() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        RequestId id = RequestId.of("same-id");
        alice.send(LOBBY, id, "from alice");

        ServerMessage.ChatAck fromBob = bob.send(LOBBY, id, "from bob");

        assertThat(fromBob).isEqualTo(new ServerMessage.ChatAck(LOBBY, 2, false));
        assertThat(alice.chats()).extracting(message -> message.text().value()).containsExactly("from alice", "from bob");
    }

    @Test
    void given_connectionNotInTheRoom_when_itSendsAChat_then_notMemberAndNothingIsStored() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(LOBBY);

        assertThat(alice.sendRefused(LOBBY, "let me talk")).isEqualTo(ErrorCode.NOT_MEMBER);
        assertThat(node.store.appendCalls()).isZero();
        assertThat(bob.chats()).isEmpty();
    }

    @Test
    void given_historyStoreDown_when_aChatIsSent_then_unavailableNothingAcknowledgedStoredOrDelivered() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        node.store.down(true);
        RequestId id = RequestId.of("outbox-1");

        ServerMessage reply = alice.chatReply(LOBBY, id, "are you there?");

        assertThat(reply).isInstanceOf(ServerMessage.Error.class);
        ServerMessage.Error error = (ServerMessage.Error) reply;
        assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(error.replyTo()).contains(id);
        assertThat(node.delivery.ackTo(alice.id, id)).isEmpty();
        assertThat(alice.chats()).isEmpty();
        assertThat(bob.chats()).isEmpty();
        assertThat(ParleyNode.await(node.memoryStore.streamState(LOBBY)).latestSeq()).isZero();
    }

    @Test
    void given_chatRefusedAsUnavailable_when_resentWithTheSameIdOnceTheStoreIsBack_then_storedOnce() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        RequestId id = RequestId.of("outbox-1");
        node.store.down(true);
        alice.chatReply(LOBBY, id, "are you there?");
        node.store.down(false);

        ServerMessage.ChatAck ack = ackOfResend(alice, id, "are you there?");

        assertThat(ack).isEqualTo(new ServerMessage.ChatAck(LOBBY, 1, false));
        assertThat(bob.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_busDownAfterTheStore_when_aChatIsSent_then_itIsStillAcknowledgedAndMembersReadItFromHistory() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        node.fanOut.down(true);

        ServerMessage.ChatAck lost = alice.send(LOBBY, "through a broken bus");
        node.fanOut.down(false);
        alice.send(LOBBY, "through a mended bus");

        assertThat(lost).isEqualTo(new ServerMessage.ChatAck(LOBBY, 1, false));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(bob.chatSeqs()).containsExactly(1L, 2L));
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L);
    }

    // --- server publish ---------------------------------------------------------------------------

    @Test
    void given_members_when_theOperatorPublishes_then_storedAsSystemAndDeliveredToEveryMember() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        MessageData data = new MessageData("{\"severity\":\"info\"}");

        AppendOutcome outcome = ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(LOBBY,
                RequestId.of("announcement-1"), new MessageText("maintenance at noon"), Optional.of(data))));

        assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
        assertThat(outcome.message().seq()).isEqualTo(1);
        assertThat(outcome.message().from()).isEqualTo(User.SYSTEM);
        assertThat(outcome.message().data()).contains(data);
        assertThat(alice.chats()).containsExactly(outcome.message());
        assertThat(bob.chats()).containsExactly(outcome.message());
    }

    @Test
    void given_publishedServerMessage_when_publishedAgainWithTheSameId_then_duplicateWithTheFirstSeqNotDeliveredAgain() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        PublishServerMessageCommand command = new PublishServerMessageCommand(LOBBY, RequestId.of("announcement-1"),
                new MessageText("maintenance at noon"), Optional.empty());
        AppendOutcome first = ParleyNode.await(node.chat.publish(command));
        alice.send(LOBBY, "ok");

        AppendOutcome again = ParleyNode.await(node.chat.publish(command));

        assertThat(again).isInstanceOf(AppendOutcome.Duplicate.class);
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L);
        assertThat(node.fanOut.postedPublished()).as("a duplicate is not fanned out again").isEqualTo(2);
    }

    @Test
    void given_userCalledSystem_when_itChatsWithTheSameIdAsTheOperator_then_bothAreStored() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(LOBBY, RequestId.of("x1"),
                new MessageText("from the operator"), Optional.empty())));

        ServerMessage.ChatAck ack = alice.send(LOBBY, RequestId.of("x1"), "from alice");

        assertThat(ack).isEqualTo(new ServerMessage.ChatAck(LOBBY, 2, false));
    }

    @Test
    void given_historyStoreDown_when_theOperatorPublishes_then_itFailsAndNothingIsDelivered() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        node.store.down(true);

        CompletableFuture<AppendOutcome> publishing = node.chat.publish(new PublishServerMessageCommand(LOBBY,
                RequestId.of("announcement-1"), new MessageText("maintenance"), Optional.empty()));

        assertThatThrownBy(() -> publishing.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StoreUnavailableException.class);
        assertThat(alice.chats()).isEmpty();
    }

    private ServerMessage.ChatAck ackOfResend(Client client, RequestId id, String text) {
        List<ServerMessage> before = node.delivery.repliesTo(client.id, id);
        ParleyNode.await(node.chat.send(new SendChatCommand(client.id, id, LOBBY, new MessageText(text),
                Optional.empty())));
        List<ServerMessage> after = node.delivery.repliesTo(client.id, id);
        assertThat(after).hasSize(before.size() + 1);
        return ParleyNode.ackPayload(after.get(after.size() - 1), ServerMessage.ChatAck.class);
    }
}
