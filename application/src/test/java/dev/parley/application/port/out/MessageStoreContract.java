package dev.parley.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageStore} adapter must do (docs/protocol.md guarantees 1 to 3 and the
 * history query of section 3). Extend it once per adapter and implement {@link #createStore()}.
 *
 * <p>The suite may run against a shared, long-lived database: every test writes to rooms of
 * its own ({@link #uniqueRoom}), never assumes the store is empty, and never deletes anything.
 * The store under test must retain at least 10,000 messages per room.
 */
public abstract class MessageStoreContract {
    private static final User ALICE = new User(UserId.of("alice"), "Alice");
    private static final User BOB = new User(UserId.of("bob"), "Bob");

    protected MessageStore store;

    /**
     * The adapter under test, ready to use. Called before every test; may return the same
     * instance each time (a database-backed adapter usually does).
     */
    protected abstract MessageStore createStore();

    /** How long any one answer of the store may take. */
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    /** A room no other test (nor an earlier run against the same database) has written. */
    protected RoomName uniqueRoom(String label) {
        return RoomName.of("contract-" + label + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    @BeforeEach
    void createStoreUnderTest() {
        store = createStore();
    }

    // --- seqs and stream state -------------------------------------------------------------

    @Test
    void given_room_never_written_when_stream_state_read_then_latest_is_zero_and_oldest_retained_is_one() {
        RoomStreamState state = await(store.streamState(uniqueRoom("empty")));

        assertThat(state.latestSeq()).isZero();
        assertThat(state.oldestRetainedSeq()).isEqualTo(1);
        assertThat(state.epoch()).isNotNull();
    }

    @Test
    void given_empty_room_when_messages_appended_then_seqs_start_at_one_and_grow_by_one() {
        RoomName room = uniqueRoom("seq");

        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            AppendOutcome outcome = await(store.append(draft(room, "m" + i, ALICE, "message " + i)));
            assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
            seqs.add(outcome.message().seq());
        }

        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void given_appended_messages_when_stream_state_read_then_latest_is_last_seq_and_everything_retained() {
        RoomName room = uniqueRoom("state");
        appendMessages(room, 7);

        RoomStreamState state = await(store.streamState(room));

        assertThat(state.latestSeq()).isEqualTo(7);
        assertThat(state.oldestRetainedSeq()).isEqualTo(1);
    }

    /**
     * A client that joined a room while it was empty comes back with {@code since} = (0, epoch):
     * if the first message changed the epoch it could never be brought up to date by replay.
     */
    @Test
    void given_empty_room_when_messages_appended_then_epoch_stays_the_same() {
        RoomName room = uniqueRoom("epoch");
        Epoch before = await(store.streamState(room)).epoch();

        appendMessages(room, 3);

        assertThat(await(store.streamState(room)).epoch()).isEqualTo(before);
        assertThat(await(store.streamState(room)).epoch()).isEqualTo(before);
    }

    @Test
    void given_two_rooms_when_appends_interleave_then_each_room_has_its_own_seqs_from_one() {
        RoomName first = uniqueRoom("first");
        RoomName second = uniqueRoom("second");

        long a1 = await(store.append(draft(first, "a1", ALICE, "a1"))).message().seq();
        long b1 = await(store.append(draft(second, "b1", ALICE, "b1"))).message().seq();
        long a2 = await(store.append(draft(first, "a2", ALICE, "a2"))).message().seq();
        long b2 = await(store.append(draft(second, "b2", ALICE, "b2"))).message().seq();

        assertThat(List.of(a1, a2, b1, b2)).containsExactly(1L, 2L, 1L, 2L);
        assertThat(await(store.streamState(first)).latestSeq()).isEqualTo(2);
        assertThat(await(store.streamState(second)).latestSeq()).isEqualTo(2);
    }

    // --- idempotency ----------------------------------------------------------------------

    @Test
    void given_stored_message_when_same_sender_appends_same_id_again_then_duplicate_carries_the_first_message() {
        RoomName room = uniqueRoom("dup");
        ChatMessage first = await(store.append(draft(room, "same-id", ALICE, "first text"))).message();

        AppendOutcome again = await(store.append(draft(room, "same-id", ALICE, "a different text")));

        assertThat(again).isInstanceOf(AppendOutcome.Duplicate.class);
        assertThat(again.message()).isEqualTo(first);
        assertThat(again.message().text().value()).isEqualTo("first text");
    }

    @Test
    void given_duplicate_when_next_message_appended_then_duplicate_used_no_seq() {
        RoomName room = uniqueRoom("dup-seq");
        await(store.append(draft(room, "one", ALICE, "one")));
        await(store.append(draft(room, "one", ALICE, "one")));

        AppendOutcome next = await(store.append(draft(room, "two", ALICE, "two")));

        assertThat(next).isInstanceOf(AppendOutcome.Stored.class);
        assertThat(next.message().seq()).isEqualTo(2);
        assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(2);
        assertThat(await(store.range(room, 0, 10))).extracting(ChatMessage::seq).containsExactly(1L, 2L);
    }

    @Test
    void given_stored_message_when_other_sender_uses_same_id_then_it_is_a_new_message() {
        RoomName room = uniqueRoom("dup-sender");
        await(store.append(draft(room, "shared-id", ALICE, "from alice")));

        AppendOutcome fromBob = await(store.append(draft(room, "shared-id", BOB, "from bob")));

        assertThat(fromBob).isInstanceOf(AppendOutcome.Stored.class);
        assertThat(fromBob.message().seq()).isEqualTo(2);
        assertThat(fromBob.message().from()).isEqualTo(BOB);
        assertThat(fromBob.message().text().value()).isEqualTo("from bob");
    }

    @Test
    void given_stored_message_when_same_sender_uses_same_id_in_other_room_then_it_is_a_new_message() {
        RoomName room = uniqueRoom("dup-room-a");
        RoomName other = uniqueRoom("dup-room-b");
        await(store.append(draft(room, "shared-id", ALICE, "here")));
        await(store.append(draft(room, "filler", ALICE, "filler")));

        AppendOutcome elsewhere = await(store.append(draft(other, "shared-id", ALICE, "there")));

        assertThat(elsewhere).isInstanceOf(AppendOutcome.Stored.class);
        assertThat(elsewhere.message().room()).isEqualTo(other);
        assertThat(elsewhere.message().seq()).isEqualTo(1);
        assertThat(elsewhere.message().text().value()).isEqualTo("there");
    }

    // --- what a stored message carries ----------------------------------------------------------

    @Test
    void given_draft_when_appended_then_sent_at_is_the_server_time_of_storing() {
        RoomName room = uniqueRoom("sent-at");
        long before = System.currentTimeMillis();

        ChatMessage message = await(store.append(draft(room, "m1", ALICE, "hello"))).message();

        long after = System.currentTimeMillis();
        // A database's clock may differ from this JVM's a little.
        long skew = Duration.ofMinutes(1).toMillis();
        assertThat(message.sentAt()).isBetween(before - skew, after + skew);
        assertThat(await(store.range(room, 0, 1))).singleElement()
                .extracting(ChatMessage::sentAt).isEqualTo(message.sentAt());
    }

    @Test
    void given_draft_with_data_and_unicode_when_appended_and_read_then_every_field_passes_through_unchanged() {
        RoomName room = uniqueRoom("data");
        MessageData data = new MessageData("{\"kind\":\"reply\",\"to\":[1,2,{\"x\":null}],\"émoji\":\"\uD83D\uDE00\",\"n\":1.5}");
        User sender = new User(UserId.of("zoë"), "Zoë \uD83D\uDC7E Ünïcode");
        MessageDraft withData = new MessageDraft(room, RequestId.of("with-data"), sender,
                new MessageText("line one\nline two\twith tab, \"quotes\" and \uD83D\uDE80"), Optional.of(data));
        MessageDraft withoutData = draft(room, "without-data", ALICE, "plain");

        ChatMessage stored = await(store.append(withData)).message();
        ChatMessage plain = await(store.append(withoutData)).message();

        assertThat(stored.data()).contains(data);
        assertThat(stored.text()).isEqualTo(withData.text());
        assertThat(stored.from()).isEqualTo(sender);
        assertThat(stored.id()).isEqualTo(withData.id());
        assertThat(stored.room()).isEqualTo(room);
        assertThat(plain.data()).isEmpty();
        assertSameMessages(await(store.range(room, 0, 2)), stored, plain);
        assertSameMessages(await(store.history(newest(room, 10))).messages(), stored, plain);
    }

    /**
     * Equal messages, where {@code data} need only be the same JSON object: a store may keep it
     * in a normalising type (PostgreSQL's jsonb reorders keys and spacing).
     */
    private static void assertSameMessages(List<ChatMessage> actual, ChatMessage... expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            ChatMessage read = actual.get(i);
            ChatMessage want = expected[i];
            assertThat(read.data().isPresent()).isEqualTo(want.data().isPresent());
            if (want.data().isPresent()) {
                assertThat(json(read.data().get().json())).isEqualTo(json(want.data().get().json()));
            }
            assertThat(new ChatMessage(read.room(), read.seq(), read.id(), read.from(), read.text(), want.data(),
                    read.sentAt())).isEqualTo(want);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    // --- range ---------------------------------------------------------------------------------

    @Test
    void given_messages_when_range_read_then_it_is_the_half_open_interval_ascending() {
        RoomName room = uniqueRoom("range");
        List<ChatMessage> stored = appendMessages(room, 5);

        assertThat(await(store.range(room, 0, 5))).containsExactlyElementsOf(stored);
        assertThat(await(store.range(room, 1, 4))).extracting(ChatMessage::seq).containsExactly(2L, 3L, 4L);
        assertThat(await(store.range(room, 2, 3))).extracting(ChatMessage::seq).containsExactly(3L);
        assertThat(await(store.range(room, 3, 3))).isEmpty();
    }

    @Test
    void given_messages_when_range_reaches_beyond_latest_then_it_stops_at_latest() {
        RoomName room = uniqueRoom("range-high");
        appendMessages(room, 5);

        assertThat(await(store.range(room, 3, 1_000))).extracting(ChatMessage::seq).containsExactly(4L, 5L);
        assertThat(await(store.range(room, 5, 1_000))).isEmpty();
        assertThat(await(store.range(room, 9, 12))).isEmpty();
    }

    @Test
    void given_room_never_written_when_range_or_history_read_then_nothing() {
        RoomName room = uniqueRoom("nothing");

        assertThat(await(store.range(room, 0, 100))).isEmpty();
        HistoryPage page = await(store.history(newest(room, 50)));
        assertThat(page.room()).isEqualTo(room);
        assertThat(page.messages()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    // --- history ------------------------------------------------------------------------------

    @Test
    void given_ten_messages_when_history_without_bounds_then_newest_page_ascending_with_more_older() {
        RoomName room = uniqueRoom("hist-newest");
        appendMessages(room, 10);

        HistoryPage page = await(store.history(newest(room, 3)));

        assertThat(page.room()).isEqualTo(room);
        assertThat(seqs(page)).containsExactly(8L, 9L, 10L);
        assertThat(page.hasMore()).isTrue();
    }

    @Test
    void given_ten_messages_when_history_without_bounds_covers_all_then_everything_and_no_more() {
        RoomName room = uniqueRoom("hist-all");
        appendMessages(room, 10);

        assertThat(seqs(await(store.history(newest(room, 10))))).containsExactlyElementsOf(range(1, 10));
        assertThat(await(store.history(newest(room, 10))).hasMore()).isFalse();
        assertThat(seqs(await(store.history(newest(room, 50))))).containsExactlyElementsOf(range(1, 10));
        assertThat(await(store.history(newest(room, 50))).hasMore()).isFalse();
    }

    @Test
    void given_ten_messages_when_history_after_then_oldest_above_it_with_more_newer() {
        RoomName room = uniqueRoom("hist-after");
        appendMessages(room, 10);

        HistoryPage middle = await(store.history(query(room, OptionalLong.of(2), OptionalLong.empty(), 3)));
        HistoryPage last = await(store.history(query(room, OptionalLong.of(7), OptionalLong.empty(), 3)));
        HistoryPage beyond = await(store.history(query(room, OptionalLong.of(10), OptionalLong.empty(), 3)));
        HistoryPage fromStart = await(store.history(query(room, OptionalLong.of(0), OptionalLong.empty(), 4)));

        assertThat(seqs(middle)).containsExactly(3L, 4L, 5L);
        assertThat(middle.hasMore()).isTrue();
        assertThat(seqs(last)).containsExactly(8L, 9L, 10L);
        assertThat(last.hasMore()).isFalse();
        assertThat(seqs(beyond)).isEmpty();
        assertThat(beyond.hasMore()).isFalse();
        assertThat(seqs(fromStart)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(fromStart.hasMore()).isTrue();
    }

    @Test
    void given_ten_messages_when_history_before_then_newest_below_it_with_more_older() {
        RoomName room = uniqueRoom("hist-before");
        appendMessages(room, 10);

        HistoryPage middle = await(store.history(query(room, OptionalLong.empty(), OptionalLong.of(8), 3)));
        HistoryPage first = await(store.history(query(room, OptionalLong.empty(), OptionalLong.of(4), 3)));
        HistoryPage below = await(store.history(query(room, OptionalLong.empty(), OptionalLong.of(1), 3)));
        HistoryPage aboveLatest = await(store.history(query(room, OptionalLong.empty(), OptionalLong.of(100), 2)));

        assertThat(seqs(middle)).containsExactly(5L, 6L, 7L);
        assertThat(middle.hasMore()).isTrue();
        assertThat(seqs(first)).containsExactly(1L, 2L, 3L);
        assertThat(first.hasMore()).isFalse();
        assertThat(seqs(below)).isEmpty();
        assertThat(below.hasMore()).isFalse();
        assertThat(seqs(aboveLatest)).containsExactly(9L, 10L);
        assertThat(aboveLatest.hasMore()).isTrue();
    }

    @Test
    void given_ten_messages_when_history_after_and_before_then_oldest_between_them() {
        RoomName room = uniqueRoom("hist-between");
        appendMessages(room, 10);

        HistoryPage all = await(store.history(query(room, OptionalLong.of(2), OptionalLong.of(6), 50)));
        HistoryPage cut = await(store.history(query(room, OptionalLong.of(2), OptionalLong.of(6), 2)));
        HistoryPage none = await(store.history(query(room, OptionalLong.of(5), OptionalLong.of(6), 2)));

        assertThat(seqs(all)).containsExactly(3L, 4L, 5L);
        assertThat(all.hasMore()).isFalse();
        assertThat(seqs(cut)).containsExactly(3L, 4L);
        assertThat(cut.hasMore()).isTrue();
        assertThat(seqs(none)).isEmpty();
        assertThat(none.hasMore()).isFalse();
    }

    @Test
    void given_messages_when_history_page_read_then_it_holds_the_stored_messages_themselves() {
        RoomName room = uniqueRoom("hist-equal");
        List<ChatMessage> stored = appendMessages(room, 4);

        assertThat(await(store.history(query(room, OptionalLong.of(1), OptionalLong.empty(), 2))).messages())
                .containsExactly(stored.get(1), stored.get(2));
    }

    // --- concurrency -------------------------------------------------------------------------------

    @Test
    void given_eight_threads_when_each_appends_a_thousand_to_one_room_then_eight_thousand_distinct_gap_free_seqs()
            throws Exception {
        RoomName room = uniqueRoom("concurrent");
        int threads = 8;
        int perThread = 1_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                tasks.add(pool.submit(appendAll(room, thread, perThread)));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<List<Long>> task : tasks) {
                seqs.addAll(task.get(2, TimeUnit.MINUTES));
            }

            long total = (long) threads * perThread;
            assertThat(seqs).hasSize((int) total).doesNotHaveDuplicates();
            assertThat(seqs.stream().sorted().collect(Collectors.toList())).containsExactlyElementsOf(range(1, total));
            assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(total);
            List<ChatMessage> stored = await(store.range(room, 0, total));
            assertThat(stored).extracting(ChatMessage::seq).containsExactlyElementsOf(range(1, total));
            Set<String> ids = stored.stream().map(message -> message.id().value()).collect(Collectors.toSet());
            assertThat(ids).hasSize((int) total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void given_eight_threads_when_all_append_the_same_draft_at_once_then_stored_once_and_everyone_gets_its_seq()
            throws Exception {
        RoomName room = uniqueRoom("concurrent-dup");
        await(store.append(draft(room, "before", ALICE, "before")));
        MessageDraft same = draft(room, "racing-id", ALICE, "racing");
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<AppendOutcome>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                tasks.add(pool.submit(() -> await(store.append(same))));
            }
            List<AppendOutcome> outcomes = new ArrayList<>();
            for (Future<AppendOutcome> task : tasks) {
                outcomes.add(task.get(1, TimeUnit.MINUTES));
            }

            assertThat(outcomes).filteredOn(outcome -> outcome instanceof AppendOutcome.Stored).hasSize(1);
            assertThat(outcomes).extracting(outcome -> outcome.message().seq()).containsOnly(2L);
            assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<List<Long>> appendAll(RoomName room, int thread, int count) {
        return () -> {
            List<CompletableFuture<AppendOutcome>> pending = new ArrayList<>(count);
            User sender = new User(UserId.of("writer-" + thread), "Writer " + thread);
            for (int i = 0; i < count; i++) {
                pending.add(store.append(draft(room, "t" + thread + "-m" + i, sender, "message " + i)));
            }
            List<Long> seqs = new ArrayList<>(count);
            for (CompletableFuture<AppendOutcome> future : pending) {
                AppendOutcome outcome = future.get(2, TimeUnit.MINUTES);
                assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
                seqs.add(outcome.message().seq());
            }
            return seqs;
        };
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** Appends {@code count} messages from alice with ids {@code m1..m<count>}; returns them in order. */
    protected List<ChatMessage> appendMessages(RoomName room, int count) {
        List<ChatMessage> stored = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            AppendOutcome outcome = await(store.append(draft(room, "m" + i, ALICE, "message " + i)));
            assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
            stored.add(outcome.message());
        }
        assertThat(stored).extracting(ChatMessage::seq)
                .as("a room of its own starts at 1").containsExactlyElementsOf(range(1, count));
        return stored;
    }

    protected static MessageDraft draft(RoomName room, String id, User from, String text) {
        return new MessageDraft(room, RequestId.of(id), from, new MessageText(text), Optional.empty());
    }

    protected <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the store did not answer within " + timeout(), e);
        }
    }

    private static HistoryQuery newest(RoomName room, int limit) {
        return query(room, OptionalLong.empty(), OptionalLong.empty(), limit);
    }

    private static HistoryQuery query(RoomName room, OptionalLong after, OptionalLong before, int limit) {
        return new HistoryQuery(room, after, before, limit);
    }

    private static List<Long> seqs(HistoryPage page) {
        return page.messages().stream().map(ChatMessage::seq).collect(Collectors.toList());
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }
}
