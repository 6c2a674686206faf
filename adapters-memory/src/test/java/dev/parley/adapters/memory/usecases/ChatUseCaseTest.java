package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.Refusal;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
    void given_member_when_it_sends_a_chat_then_ack_carries_the_seq_and_every_member_gets_it_the_senders_own_included() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        Client outsider = node.connect("carol");
        alice.join(LOBBY);
        bob.join(LOBBY);
        outsider.join(RoomName.of("elsewhere"));
        MessageData data = new MessageData("{\"mood\":\"happy\"}");
        RequestId id = node.nextMessageId();

        ChatOutcome outcome = ParleyNode.await(node.chat.send(new SendChatCommand(alice.id, id, LOBBY,
                new MessageText("hello"), Optional.of(data))));

        ChatMessage stored = ParleyNode.await(node.memoryStore.range(LOBBY, 0, 1)).get(0);
        assertThat(outcome).isEqualTo(new ChatOutcome.Stored(stored));
        assertThat(stored.seq()).isEqualTo(1);
        assertThat(stored.id()).isEqualTo(id);
        assertThat(stored.from()).isEqualTo(alice.user());
        assertThat(stored.data()).contains(data);
        assertThat(alice.chats()).containsExactly(stored);
        assertThat(bob.chats()).containsExactly(stored);
        assertThat(outsider.chats()).isEmpty();
    }

    @Test
    void given_append_not_yet_durable_when_a_chat_is_sent_then_the_ack_waits_for_the_store() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        CompletableFuture<Void> durable = node.store.holdAppends();

        CompletableFuture<ChatOutcome> sending = alice.sending(LOBBY, node.nextMessageId(), "wait for it");

        assertThat(sending).isNotDone();
        assertThat(alice.received()).as("no answer yet").noneMatch(item -> item instanceof ChatOutcome);
        assertThat(alice.chats()).isEmpty();
        durable.complete(null);
        ChatOutcome outcome = ParleyNode.await(sending);
        assertThat(outcome).isInstanceOf(ChatOutcome.Stored.class);
        assertThat(ParleyNode.seq(outcome)).isEqualTo(1);
        assertThat(alice.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_stored_chat_when_the_same_id_is_resent_then_ack_has_the_first_seq_as_duplicate_and_nothing_is_delivered_again() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        RequestId id = RequestId.of("client-generated-1");
        ChatOutcome first = alice.send(LOBBY, id, "hello");
        alice.send(LOBBY, "something else");

        ChatOutcome again = alice.send(LOBBY, id, "hello");

        assertThat(again).isEqualTo(new ChatOutcome.Duplicate(ParleyNode.message(first)));
        assertThat(ParleyNode.seq(again)).isEqualTo(1);
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L);
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L);
        assertThat(ParleyNode.await(node.memoryStore.streamState(LOBBY)).latestSeq()).isEqualTo(2);
        assertThat(node.fanOut.postedPublished()).as("a duplicate is not fanned out again").isEqualTo(2);
    }

    @Test
    void given_stored_chat_when_another_user_sends_the_same_id_then_it_is_a_new_message() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        RequestId id = RequestId.of("same-id");
        alice.send(LOBBY, id, "from alice");

        ChatOutcome fromBob = bob.send(LOBBY, id, "from bob");

        assertThat(fromBob).isInstanceOf(ChatOutcome.Stored.class);
        assertThat(ParleyNode.seq(fromBob)).isEqualTo(2);
        assertThat(alice.chats()).extracting(message -> message.text().value()).containsExactly("from alice", "from bob");
    }

    @Test
    void given_connection_not_in_the_room_when_it_sends_a_chat_then_not_member_and_nothing_is_stored() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        bob.join(LOBBY);

        assertThat(alice.sendRefused(LOBBY, "let me talk")).isEqualTo(Refusal.NOT_MEMBER);
        assertThat(node.store.appendCalls()).isZero();
        assertThat(bob.chats()).isEmpty();
    }

    @Test
    void given_history_store_down_when_a_chat_is_sent_then_unavailable_nothing_acknowledged_stored_or_delivered() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        node.store.down(true);

        ChatOutcome outcome = alice.chatOutcome(LOBBY, RequestId.of("outbox-1"), "are you there?");

        assertThat(outcome).isInstanceOf(Unavailable.class);
        assertThat(alice.chats()).isEmpty();
        assertThat(bob.chats()).isEmpty();
        assertThat(ParleyNode.await(node.memoryStore.streamState(LOBBY)).latestSeq()).isZero();
    }

    @Test
    void given_chat_refused_as_unavailable_when_resent_with_the_same_id_once_the_store_is_back_then_stored_once() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        RequestId id = RequestId.of("outbox-1");
        node.store.down(true);
        assertThat(alice.chatOutcome(LOBBY, id, "are you there?")).isInstanceOf(Unavailable.class);
        node.store.down(false);

        ChatOutcome outcome = alice.send(LOBBY, id, "are you there?");

        assertThat(outcome).isInstanceOf(ChatOutcome.Stored.class);
        assertThat(ParleyNode.seq(outcome)).isEqualTo(1);
        assertThat(bob.chatSeqs()).containsExactly(1L);
    }

    @Test
    void given_bus_down_after_the_store_when_a_chat_is_sent_then_it_is_still_acknowledged_and_members_read_it_from_history() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        node.fanOut.down(true);

        ChatOutcome lost = alice.send(LOBBY, "through a broken bus");
        node.fanOut.down(false);
        alice.send(LOBBY, "through a mended bus");

        assertThat(lost).isInstanceOf(ChatOutcome.Stored.class);
        assertThat(ParleyNode.seq(lost)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(bob.chatSeqs()).containsExactly(1L, 2L));
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L);
    }

    // --- server publish ---------------------------------------------------------------------------

    @Test
    void given_members_when_the_operator_publishes_then_stored_as_system_and_delivered_to_every_member() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        MessageData data = new MessageData("{\"severity\":\"info\"}");

        ChatOutcome outcome = ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(LOBBY,
                RequestId.of("announcement-1"), new MessageText("maintenance at noon"), Optional.of(data))));

        assertThat(outcome).isInstanceOf(ChatOutcome.Stored.class);
        ChatMessage message = ParleyNode.message(outcome);
        assertThat(message.seq()).isEqualTo(1);
        assertThat(message.from()).isEqualTo(User.SYSTEM);
        assertThat(message.data()).contains(data);
        assertThat(alice.chats()).containsExactly(message);
        assertThat(bob.chats()).containsExactly(message);
    }

    @Test
    void given_published_server_message_when_published_again_with_the_same_id_then_duplicate_with_the_first_seq_not_delivered_again() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        PublishServerMessageCommand command = new PublishServerMessageCommand(LOBBY, RequestId.of("announcement-1"),
                new MessageText("maintenance at noon"), Optional.empty());
        ChatOutcome first = ParleyNode.await(node.chat.publish(command));
        alice.send(LOBBY, "ok");

        ChatOutcome again = ParleyNode.await(node.chat.publish(command));

        assertThat(again).isEqualTo(new ChatOutcome.Duplicate(ParleyNode.message(first)));
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L);
        assertThat(node.fanOut.postedPublished()).as("a duplicate is not fanned out again").isEqualTo(2);
    }

    @Test
    void given_user_called_system_when_it_chats_with_the_same_id_as_the_operator_then_both_are_stored() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(LOBBY, RequestId.of("x1"),
                new MessageText("from the operator"), Optional.empty())));

        ChatOutcome outcome = alice.send(LOBBY, RequestId.of("x1"), "from alice");

        assertThat(outcome).isInstanceOf(ChatOutcome.Stored.class);
        assertThat(ParleyNode.seq(outcome)).isEqualTo(2);
    }

    @Test
    void given_history_store_down_when_the_operator_publishes_then_it_fails_and_nothing_is_delivered() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        node.store.down(true);

        ChatOutcome outcome = ParleyNode.await(node.chat.publish(new PublishServerMessageCommand(LOBBY,
                RequestId.of("announcement-1"), new MessageText("maintenance"), Optional.empty())));

        assertThat(outcome).isInstanceOf(Unavailable.class);
        assertThat(alice.chats()).isEmpty();
    }
}
