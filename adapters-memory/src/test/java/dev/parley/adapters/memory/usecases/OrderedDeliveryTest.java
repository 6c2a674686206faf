package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.adapters.memory.usecases.ParleyNode.Client;
import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 4: a member hears its room in strictly increasing seq order, with no gap and no
 * duplicate, whatever the bus does to the events.
 */
class OrderedDeliveryTest {
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ParleyNode node = ParleyNode.builder().gapWait(Duration.ofMillis(500)).start();

    @AfterEach
    void stop() {
        node.close();
    }

    /** Stores a message without publishing it, as another node would before its bus event arrives. */
    private ChatMessage storedOnly(String id) {
        return ParleyNode.await(node.memoryStore.append(new MessageDraft(LOBBY, RequestId.of(id), User.named("remote"),
                new MessageText("from " + id), Optional.empty()))).message();
    }

    private void busDelivers(ChatMessage message) {
        ParleyNode.await(node.memoryFanOut.publish(new RoomEvent.Posted(message)));
    }

    @Test
    void given_bus_lost_an_event_when_a_later_one_arrives_then_the_gap_is_filled_from_history_after_the_gap_wait() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        ChatMessage lost = storedOnly("m1");
        ChatMessage later = storedOnly("m2");

        busDelivers(later);

        assertThat(alice.chats()).as("nothing before the gap wait").isEmpty();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.chats()).containsExactly(lost, later));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(bob.chats()).containsExactly(lost, later));
        bob.send(LOBBY, "and on it goes");
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void given_bus_loses_events_and_the_history_is_briefly_down_when_the_gap_is_filled_then_it_is_retried_until_it_works() {
        Client alice = node.connect("alice");
        alice.join(LOBBY);
        ChatMessage lost = storedOnly("m1");
        ChatMessage later = storedOnly("m2");
        node.store.down(true);

        busDelivers(later);
        await().atMost(PATIENCE).until(() -> node.store.rangeCalls() >= 1);
        assertThat(alice.chats()).isEmpty();
        node.store.down(false);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.chats()).containsExactly(lost, later));
    }

    @Test
    void given_bus_lost_messages_the_store_no_longer_retains_when_the_gap_is_filled_then_members_skip_them_instead_of_stalling() {
        try (ParleyNode small = ParleyNode.builder().retention(3).gapWait(Duration.ofMillis(50)).start()) {
            Client alice = small.connect("alice");
            Client bob = small.connect("bob");
            alice.join(LOBBY);
            bob.join(LOBBY);
            small.fanOut.dropPosted(true);
            for (int i = 1; i <= 5; i++) {
                alice.send(LOBBY, "lost " + i);
            }
            small.fanOut.dropPosted(false);

            alice.send(LOBBY, "six");
            alice.send(LOBBY, "seven");

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(bob.chatSeqs()).contains(7L));
            alice.send(LOBBY, "eight");
            for (Client member : List.of(alice, bob)) {
                assertThat(member.chatSeqs()).as("seqs of %s", member.user().id())
                        .isSorted().doesNotHaveDuplicates().endsWith(6L, 7L, 8L);
            }
        }
    }

    @Test
    void given_bus_reports_a_possible_loss_when_messages_were_lost_with_nothing_after_them_then_members_catch_up_from_history() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "heard");
        node.fanOut.dropPosted(true);
        bob.send(LOBBY, "lost 2");
        bob.send(LOBBY, "lost 3");
        node.fanOut.dropPosted(false);
        assertThat(alice.chatSeqs()).containsExactly(1L);

        node.fanOut.signalPossibleLoss(LOBBY);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.chatSeqs()).containsExactly(1L, 2L, 3L));
        bob.send(LOBBY, "heard again");
        assertThat(alice.chatSeqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void given_a_catch_up_under_way_when_the_bus_reports_another_loss_then_the_room_catches_up_again_once_it_is_done() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "heard");
        node.fanOut.dropPosted(true);
        bob.send(LOBBY, "lost 2");
        CompletableFuture<Void> firstCatchUp = node.store.holdRanges();
        node.fanOut.signalPossibleLoss(LOBBY); // reads up to seq 2, its range held
        bob.send(LOBBY, "lost 3");

        node.fanOut.signalPossibleLoss(LOBBY); // the bus lost seq 3 after the first catch-up read
        node.fanOut.dropPosted(false);
        firstCatchUp.complete(null);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.chatSeqs()).containsExactly(1L, 2L, 3L));
        assertThat(bob.chatSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void given_history_down_when_the_bus_reports_a_loss_when_history_is_back_then_the_catch_up_is_retried() {
        Client alice = node.connect("alice");
        Client bob = node.connect("bob");
        alice.join(LOBBY);
        bob.join(LOBBY);
        bob.send(LOBBY, "heard");
        node.fanOut.dropPosted(true);
        bob.send(LOBBY, "lost 2");
        node.fanOut.dropPosted(false);
        node.store.down(true);

        node.fanOut.signalPossibleLoss(LOBBY); // its read fails at once
        assertThat(alice.chatSeqs()).containsExactly(1L);
        node.store.down(false);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(alice.chatSeqs()).containsExactly(1L, 2L));
    }

    @Test
    void given_chats_flowing_when_connections_join_meanwhile_then_each_hears_a_gap_free_stream_from_its_ack_or_its_since()
            throws Exception {
        int senders = 3;
        int perSender = 300;
        int joiners = 30;
        List<Client> authors = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Client author = node.connect("author" + i);
            author.join(LOBBY);
            authors.add(author);
        }
        Epoch epoch = ParleyNode.await(node.memoryStore.streamState(LOBBY)).epoch();
        List<Client> joined = new ArrayList<>();
        List<Long> startsAfter = new ArrayList<>();

        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (Client author : authors) {
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perSender; i++) {
                        author.send(LOBBY, "#" + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (int j = 0; j < joiners; j++) {
                Client joiner = node.connect("joiner" + j);
                long latest = ParleyNode.await(node.memoryStore.streamState(LOBBY)).latestSeq();
                if (j % 2 == 0) {
                    startsAfter.add(joiner.join(LOBBY).latestSeq());
                } else {
                    long since = latest / 2;
                    JoinOutcome.Joined answer = joiner.join(LOBBY, new StreamPosition(since, epoch));
                    assertThat(answer.recovered()).isTrue();
                    assertThat(answer.replayed()).isEqualTo(answer.latestSeq() - since);
                    startsAfter.add(since);
                }
                joined.add(joiner);
            }
            for (Future<?> task : tasks) {
                task.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long total = (long) senders * perSender;
        for (int j = 0; j < joiners; j++) {
            Client joiner = joined.get(j);
            List<Long> expected = LongStream.rangeClosed(startsAfter.get(j) + 1, total).boxed()
                    .collect(Collectors.toList());
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(joiner.chats()).hasSizeGreaterThanOrEqualTo(expected.size()));
            assertThat(joiner.received().get(0)).isInstanceOf(JoinOutcome.Joined.class);
            assertThat(joiner.chatSeqs()).as("seqs of %s", joiner.user().id()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void given_several_threads_sending_chats_when_all_are_stored_then_every_member_gets_strictly_increasing_gap_free_seqs()
            throws Exception {
        int senders = 4;
        int perSender = 250;
        List<Client> members = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            Client member = node.connect("member" + i);
            member.join(LOBBY);
            members.add(member);
        }
        Client listener = node.connect("listener");
        listener.join(LOBBY);
        members.add(listener);

        ExecutorService pool = Executors.newFixedThreadPool(senders);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Client sender = members.get(s);
                tasks.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perSender; i++) {
                        sender.send(LOBBY, "from " + sender.user().id() + " #" + i);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> task : tasks) {
                task.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        long total = (long) senders * perSender;
        List<Long> expected = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList());
        for (Client member : members) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(member.chats()).hasSizeGreaterThanOrEqualTo((int) total));
            assertThat(member.chatSeqs()).as("seqs of %s", member.user().id()).containsExactlyElementsOf(expected);
        }
        for (int s = 0; s < senders; s++) {
            assertThat(members.get(s).received()).filteredOn(ChatOutcome.Stored.class::isInstance).hasSize(perSender);
        }
    }
}
