package dev.parley.adapters.postgres;

import static dev.parley.adapters.postgres.Drafts.ALICE;
import static dev.parley.adapters.postgres.Drafts.BOB;
import static dev.parley.adapters.postgres.Drafts.draft;
import static dev.parley.adapters.postgres.Drafts.uniqueRoom;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the PostgreSQL store does beyond the port contract ({@link PostgresMessageStoreContractTest}):
 * its schema, jsonb, group commit, idempotency inside a batch and across restarts, its threads.
 */
class PostgresMessageStoreTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static String url;
    private static String schema;
    private static PostgresMessageStore store;

    @BeforeAll
    static void startStore() {
        url = TestDatabase.url();
        schema = TestDatabase.uniqueSchema("store");
        store = PostgresMessageStore.start(TestDatabase.settings(url, schema), Clock.systemUTC());
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (store != null) {
            store.close();
        }
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    // --- schema ----------------------------------------------------------------------------------

    @Test
    void given_empty_schema_when_store_started_then_migration_created_tables_keys_and_indexes() throws Exception {
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = ? "
                + "AND table_name IN ('rooms', 'messages', 'parley_store', 'parley_schema_history')", schema))
                .isEqualTo(4);
        assertThat(TestDatabase.queryBoolean("SELECT data_type = 'jsonb' FROM information_schema.columns "
                + "WHERE table_schema = ? AND table_name = 'messages' AND column_name = 'data'", schema)).isTrue();
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = ? AND indexname IN "
                + "('messages_pkey', 'messages_idempotency_key', 'rooms_pkey')", schema))
                .isEqualTo(3);
        assertThat(TestDatabase.queryLong("SELECT count(*) FROM pg_indexes WHERE schemaname = ? "
                + "AND tablename = 'messages'", schema)).as("V3 dropped messages_room_sent_at").isEqualTo(2);
        assertThat(store.isHealthy()).isTrue();
    }

    @Test
    void given_migrated_schema_when_second_store_starts_then_migration_is_a_no_op_and_both_serve() {
        try (PostgresMessageStore second = PostgresMessageStore.start(
                TestDatabase.settings(url, schema).withApplicationName(schema + "_second"), Clock.systemUTC())) {
            RoomName room = uniqueRoom("second");

            await(second.append(draft(room, "a", ALICE, "from the second store")));

            assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(1);
            assertThat(await(second.streamState(room)).epoch()).isEqualTo(await(store.streamState(room)).epoch());
        }
    }

    // --- seqs, epoch and restarts ------------------------------------------------------------------------

    @Test
    void given_stored_room_when_store_restarted_then_epoch_and_seqs_continue() {
        RoomName room = uniqueRoom("restart");
        Epoch epoch;
        try (PostgresMessageStore first = startAnother("restart_a")) {
            await(first.append(draft(room, "m1", ALICE, "one")));
            await(first.append(draft(room, "m2", ALICE, "two")));
            epoch = await(first.streamState(room)).epoch();
        }

        try (PostgresMessageStore restarted = startAnother("restart_b")) {
            AppendOutcome third = await(restarted.append(draft(room, "m3", ALICE, "three")));

            assertThat(third).isInstanceOf(AppendOutcome.Stored.class);
            assertThat(third.message().seq()).isEqualTo(3);
            assertThat(await(restarted.streamState(room))).isEqualTo(new RoomStreamState(epoch, 3, 1));
            assertThat(await(restarted.range(room, 0, 3))).extracting(m -> m.text().value())
                    .containsExactly("one", "two", "three");
        }
    }

    // --- idempotency -------------------------------------------------------------------------------------

    @Test
    void given_same_draft_twice_in_one_batch_when_committed_then_second_is_duplicate_of_the_first() {
        RoomName room = uniqueRoom("batch-dup");
        // a long gathering window puts all three appends in one transaction
        try (PostgresMessageStore batching = PostgresMessageStore.start(TestDatabase.settings(url, schema)
                .withApplicationName(schema + "_batching").withBatching(256, Duration.ofMillis(300)), Clock.systemUTC())) {
            GroupCommitStats before = batching.groupCommitStats();

            CompletableFuture<AppendOutcome> first = batching.append(draft(room, "same", ALICE, "first"));
            CompletableFuture<AppendOutcome> other = batching.append(draft(room, "other", ALICE, "other"));
            CompletableFuture<AppendOutcome> again = batching.append(draft(room, "same", ALICE, "first, re-sent"));

            assertThat(await(first)).isInstanceOf(AppendOutcome.Stored.class);
            assertThat(await(again)).isEqualTo(new AppendOutcome.Duplicate(await(first).message()));
            assertThat(await(other).message().seq()).isEqualTo(2);
            assertThat(batching.groupCommitStats().batches() - before.batches()).as("one transaction").isEqualTo(1);
            assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(2);
        }
    }

    @Test
    void given_stored_message_when_same_draft_appended_after_a_restart_then_duplicate_returns_the_stored_message() {
        RoomName room = uniqueRoom("restart-dup");
        ChatMessage stored;
        try (PostgresMessageStore first = startAnother("dup_a")) {
            stored = await(first.append(draft(room, "once", BOB, "stored once"))).message();
        }

        try (PostgresMessageStore restarted = startAnother("dup_b")) {
            AppendOutcome again = await(restarted.append(draft(room, "once", BOB, "a retry with other text")));

            assertThat(again).isEqualTo(new AppendOutcome.Duplicate(stored));
            assertThat(await(restarted.streamState(room)).latestSeq()).isEqualTo(1);
        }
    }

    // --- what a message carries ----------------------------------------------------------------------

    @Test
    void given_data_in_any_key_order_and_number_spelling_when_read_back_then_text_is_exact_and_jsonb_holds_the_same_object()
            throws Exception {
        RoomName room = uniqueRoom("data");
        String json = "{\"z\":1.5e3,\"kind\":\"reply\",\"to\":[1,2,{\"x\":null}],\"émoji\":\"\uD83D\uDE00\"}";
        User zoe = new User(UserId.of("zoë"), "Zoë \uD83D\uDC7E");

        ChatMessage stored = await(store.append(draft(room, "d1", zoe, "line\ttab\n\"quoted\" \uD83D\uDE80", json)))
                .message();

        ChatMessage read = await(store.range(room, 0, 1)).get(0);
        assertThat(read).isEqualTo(stored);
        assertThat(read.data()).contains(new MessageData(json));
        assertThat(TestDatabase.queryBoolean("SELECT data = ?::jsonb AND data ->> 'kind' = 'reply' "
                + "AND (data -> 'z')::numeric = 1500 FROM " + schema + ".messages WHERE room = ? AND seq = 1",
                json, room.value())).isTrue();
    }

    @Test
    void given_message_the_database_refuses_when_batched_with_others_then_only_it_fails() {
        RoomName room = uniqueRoom("poison");
        // jsonb has no \u0000: PostgreSQL refuses this data, and only this message
        String refused = "{\"nul\":\"\\u0000\"}";
        try (PostgresMessageStore batching = PostgresMessageStore.start(TestDatabase.settings(url, schema)
                .withApplicationName(schema + "_poison").withBatching(256, Duration.ofMillis(300)), Clock.systemUTC())) {
            CompletableFuture<AppendOutcome> before = batching.append(draft(room, "a", ALICE, "before"));
            CompletableFuture<AppendOutcome> poison = batching.append(draft(room, "p", ALICE, "poison", refused));
            CompletableFuture<AppendOutcome> after = batching.append(draft(room, "b", ALICE, "after"));

            assertThat(await(before).message().seq()).isEqualTo(1);
            assertThat(await(after).message().seq()).isEqualTo(2);
            assertThat(poison).failsWithin(TIMEOUT).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(StoreUnavailableException.class);
            assertThat(batching.isHealthy()).isTrue();
        }
    }

    // --- concurrency and group commit -------------------------------------------------------------------

    @Test
    void given_eight_threads_when_each_appends_a_thousand_to_one_room_then_eight_thousand_gap_free_seqs_in_few_transactions()
            throws Exception {
        RoomName room = uniqueRoom("eight");
        GroupCommitStats before = store.groupCommitStats();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        long started = System.nanoTime();
        try {
            List<Future<List<Long>>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                tasks.add(threads.submit(() -> appendAll(store, room, "t" + thread, 1_000)));
            }
            List<Long> seqs = new ArrayList<>();
            for (Future<List<Long>> task : tasks) {
                seqs.addAll(task.get(2, TimeUnit.MINUTES));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(seqs).hasSize(8_000).doesNotHaveDuplicates();
            assertThat(seqs.stream().sorted().collect(Collectors.toList())).containsExactlyElementsOf(range(1, 8_000));
            assertThat(await(store.range(room, 0, 8_000))).extracting(ChatMessage::seq)
                    .containsExactlyElementsOf(range(1, 8_000));
            long batches = store.groupCommitStats().batches() - before.batches();
            assertThat(batches).as("group commit: transactions for 8,000 appends").isLessThan(8_000 / 4);
            System.err.printf("8 x 1,000 appends to one room: %d ms, %d transactions, %.1f appends per transaction%n",
                    millis, batches, 8_000.0 / batches);
        } finally {
            threads.shutdownNow();
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private static PostgresMessageStore startAnother(String label) {
        return PostgresMessageStore.start(TestDatabase.settings(url, schema).withApplicationName(schema + "_" + label),
                Clock.systemUTC());
    }

    /** Appends {@code count} messages without waiting between them; answers their seqs in order of the calls. */
    static List<Long> appendAll(PostgresMessageStore target, RoomName room, String prefix, int count) {
        User sender = new User(UserId.of("writer-" + prefix), "Writer " + prefix);
        List<CompletableFuture<AppendOutcome>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MessageDraft draft = draft(room, prefix + "-" + i, sender, "message " + i);
            pending.add(target.append(draft));
        }
        List<Long> seqs = new ArrayList<>(count);
        for (CompletableFuture<AppendOutcome> future : pending) {
            AppendOutcome outcome = await(future);
            assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
            seqs.add(outcome.message().seq());
        }
        return seqs;
    }

    private static HistoryQuery newest(RoomName room, int limit) {
        return new HistoryQuery(room, OptionalLong.empty(), OptionalLong.empty(), limit);
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the store did not answer within " + TIMEOUT, e);
        }
    }
}
