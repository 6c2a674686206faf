package dev.parley.adapters.postgres;

import static dev.parley.adapters.postgres.Drafts.draft;
import static dev.parley.adapters.postgres.PostgresMessageStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.application.testing.TcpProxy;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several group-commit writers, each over its own rooms, against the real PostgreSQL: every room
 * keeps its appends' order and gap-free seqs with nothing lost or stored twice, however the
 * appends of many rooms interleave, and an outage still answers unavailable and recovers.
 */
class WritersTest {
    private static final int WRITERS = 4;

    private static String url;
    private static String schema;

    @BeforeAll
    static void createSchema() {
        url = TestDatabase.url();
        schema = TestDatabase.uniqueSchema("writers");
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    // --- routing and settings --------------------------------------------------------------------

    @Test
    void given_many_rooms_when_routed_then_each_room_always_has_one_writer_and_the_rooms_spread_over_all() {
        int[] perWriter = new int[WRITERS];
        for (int i = 0; i < 4_000; i++) {
            RoomName room = RoomName.of("room-" + i);
            int writer = AppendWriters.writerOf(room, WRITERS);
            assertThat(AppendWriters.writerOf(RoomName.of("room-" + i), WRITERS)).isEqualTo(writer);
            perWriter[writer]++;
        }
        assertThat(IntStream.of(perWriter).boxed().toList()).allSatisfy(count -> assertThat(count).isBetween(800, 1_200));
        assertThat(AppendWriters.writerOf(RoomName.of("lobby"), 1)).isZero();
    }

    @Test
    void given_writers_outside_one_to_the_maximum_when_set_then_refused_with_the_bounds() {
        PostgresSettings settings = PostgresSettings.defaults(url);

        assertThatThrownBy(() -> settings.withWriters(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writers must be between 1 and " + PostgresSettings.MAX_WRITERS);
        assertThatThrownBy(() -> settings.withWriters(PostgresSettings.MAX_WRITERS + 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 33");
        assertThatThrownBy(() -> settings.withWriters(8).withPool(8, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("poolSize (8) must be larger than writers (8)");
    }

    @Test
    void given_more_writers_than_the_pool_fits_when_set_then_the_pool_grows_to_hold_readers_and_writers() {
        PostgresSettings defaults = PostgresSettings.defaults(url);

        assertThat(defaults.writers()).isEqualTo(PostgresSettings.DEFAULT_WRITERS);
        assertThat(defaults.withWriters(1).poolSize()).isEqualTo(defaults.poolSize());
        assertThat(defaults.withWriters(16).poolSize()).isEqualTo(defaults.readThreads() + 16 + 2);
    }

    // --- order and seqs under concurrent appends ---------------------------------------------------------

    @Test
    void given_several_writers_when_threads_append_to_many_rooms_at_once_then_every_room_keeps_order_and_gap_free_seqs()
            throws Exception {
        int rooms = 60;
        int threadCount = 8;
        int perThread = 1_500;
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<RoomName> names = IntStream.range(0, rooms).mapToObj(i -> RoomName.of("pg-writers-" + run + "-" + i))
                .toList();
        assertThat(names.stream().map(room -> AppendWriters.writerOf(room, WRITERS)).collect(Collectors.toSet()))
                .as("the rooms use every writer").hasSize(WRITERS);
        ExecutorService threads = Executors.newFixedThreadPool(threadCount);
        try (PostgresMessageStore store = start("order", TestDatabase.settings(url, schema).withWriters(WRITERS))) {
            GroupCommitStats before = store.groupCommitStats();
            List<Future<List<Sent>>> tasks = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                int thread = t;
                tasks.add(threads.submit(() -> appendAcross(store, names, "t" + thread, perThread, thread)));
            }
            List<Sent> sent = new ArrayList<>();
            for (Future<List<Sent>> task : tasks) {
                sent.addAll(task.get(3, TimeUnit.MINUTES));
            }

            Map<String, List<ChatMessage>> storedByRoom = new HashMap<>();
            for (RoomName room : names) {
                storedByRoom.put(room.value(), await(store.range(room, 0, Long.MAX_VALUE)));
            }
            assertEveryRoomGapFreeInCallOrder(sent, storedByRoom);
            assertThat(storedByRoom.values().stream().mapToInt(List::size).sum()).isEqualTo(threadCount * perThread);
            GroupCommitStats stats = store.groupCommitStats();
            assertThat(stats.appends() - before.appends()).isEqualTo(threadCount * perThread);
            assertThat(stats.batches() - before.batches()).as("group commit still batches")
                    .isLessThan(threadCount * perThread / 4);

            // the same drafts again, all at once: every one a duplicate of what was stored, nothing new
            List<CompletableFuture<AppendOutcome>> again = new ArrayList<>();
            for (Sent message : sent) {
                again.add(store.append(message.draft()));
            }
            for (int i = 0; i < sent.size(); i++) {
                AppendOutcome outcome = await(again.get(i));
                assertThat(outcome).isInstanceOf(AppendOutcome.Duplicate.class);
                assertThat(outcome.message()).isEqualTo(sent.get(i).stored());
            }
            for (RoomName room : names) {
                assertThat(await(store.streamState(room)).latestSeq())
                        .isEqualTo(storedByRoom.get(room.value()).size());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    // --- outages -------------------------------------------------------------------------------------------

    @Test
    void given_several_writers_when_the_database_goes_away_then_every_room_answers_unavailable_fast_and_all_recover()
            throws Exception {
        List<RoomName> rooms = IntStream.range(0, 16).mapToObj(i -> Drafts.uniqueRoom("away-" + i)).toList();
        try (TcpProxy proxy = TcpProxy.to(url, 5432)) {
            proxy.start();
            try (PostgresMessageStore store = start("away", TestDatabase.settings(TcpProxy.redirect(url, proxy.port()),
                    schema).withWriters(WRITERS).withHealthInterval(Duration.ofMillis(200)))) {
                for (RoomName room : rooms) {
                    assertThat(await(store.append(draft(room, "before", Drafts.ALICE, "before"))).message().seq())
                            .isEqualTo(1);
                }

                proxy.stop();

                List<CompletableFuture<AppendOutcome>> during = new ArrayList<>();
                long called = System.nanoTime();
                for (int i = 0; i < 10; i++) {
                    for (RoomName room : rooms) {
                        during.add(store.append(draft(room, "during-" + i, Drafts.ALICE, "during")));
                    }
                }
                assertThat(Duration.ofNanos(System.nanoTime() - called)).as("calls return at once")
                        .isLessThan(Duration.ofMillis(200));
                for (CompletableFuture<AppendOutcome> future : during) {
                    assertThat(future).failsWithin(Duration.ofMillis(2_500))
                            .withThrowableOfType(ExecutionException.class)
                            .withCauseInstanceOf(StoreUnavailableException.class);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> !store.isHealthy());

                proxy.start();

                await().atMost(Duration.ofSeconds(10)).until(store::isHealthy);
                List<CompletableFuture<AppendOutcome>> after = new ArrayList<>();
                for (RoomName room : rooms) {
                    after.add(store.append(draft(room, "after", Drafts.ALICE, "after")));
                }
                for (int i = 0; i < rooms.size(); i++) {
                    assertThat(await(after.get(i)).message().seq()).as("%s", rooms.get(i)).isEqualTo(2);
                    assertThat(await(store.range(rooms.get(i), 0, 10))).extracting(m -> m.id().value())
                            .containsExactly("before", "after");
                }
            }
        }
    }

    @Test
    void given_several_writers_when_pool_sessions_are_terminated_mid_stream_then_acked_appends_stay_and_retries_fill_every_room()
            throws Exception {
        String applicationName = schema + "_killed";
        List<RoomName> rooms = IntStream.range(0, 24).mapToObj(i -> Drafts.uniqueRoom("killed-" + i)).toList();
        User sender = new User(UserId.of("killed"), "Killed");
        try (PostgresMessageStore store = start("killed", TestDatabase.settings(url, schema)
                .withApplicationName(applicationName).withWriters(WRITERS))) {
            List<MessageDraft> drafts = new ArrayList<>();
            List<CompletableFuture<AppendOutcome>> futures = new ArrayList<>();
            int terminated = 0;
            for (int i = 0; i < 4_800; i++) {
                MessageDraft draft = draft(rooms.get(i % rooms.size()), "m" + i, sender, "message " + i);
                drafts.add(draft);
                futures.add(store.append(draft));
                if (i % 200 == 199) {
                    Thread.sleep(5);
                }
                if (i == 1_600 || i == 3_200) {
                    terminated += TestDatabase.terminateSessions(applicationName);
                }
            }
            CompletableFuture.allOf(futures.stream().map(f -> f.handle((ok, failed) -> null))
                    .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(terminated).as("sessions terminated").isPositive();

            Map<String, ChatMessage> acked = new HashMap<>();
            List<MessageDraft> failed = new ArrayList<>();
            Map<String, Long> lastAckedSeq = new HashMap<>();
            for (int i = 0; i < drafts.size(); i++) {
                MessageDraft draft = drafts.get(i);
                if (futures.get(i).isCompletedExceptionally()) {
                    failed.add(draft);
                    continue;
                }
                ChatMessage message = futures.get(i).join().message();
                acked.put(draft.id().value(), message);
                Long previous = lastAckedSeq.put(draft.room().value(), message.seq());
                if (previous != null) {
                    assertThat(message.seq()).as("acked seqs of %s grow in call order", draft.room())
                            .isGreaterThan(previous);
                }
            }
            for (MessageDraft draft : failed) {
                assertThat(await(store.append(draft)).message().id()).isEqualTo(draft.id());
            }
            int total = 0;
            for (RoomName room : rooms) {
                List<ChatMessage> stored = await(store.range(room, 0, Long.MAX_VALUE));
                assertThat(stored).as("%s", room).extracting(ChatMessage::seq)
                        .containsExactlyElementsOf(PostgresMessageStoreTest.range(1, stored.size()));
                assertThat(stored.stream().map(m -> m.id().value()).collect(Collectors.toSet()))
                        .as("%s stores each id once", room).hasSize(stored.size());
                for (ChatMessage message : stored) {
                    ChatMessage ack = acked.get(message.id().value());
                    if (ack != null) {
                        assertThat(message).isEqualTo(ack);
                    }
                }
                total += stored.size();
            }
            assertThat(total).isEqualTo(4_800);
            System.err.printf("%d writers, terminated %d sessions mid-stream: %d of 4,800 appends failed, "
                    + "all acked kept%n", WRITERS, terminated, failed.size());
        }
    }

    // --- helpers -------------------------------------------------------------------------------------------

    /** One append as made and as acknowledged, and who made it in which order. */
    private record Sent(MessageDraft draft, ChatMessage stored, int thread, int order) {
    }

    /**
     * Appends {@code count} messages without waiting, message i to room {@code (i * 7 + thread) % rooms}
     * (so threads hit the rooms in different orders), then awaits every ack.
     */
    private static List<Sent> appendAcross(PostgresMessageStore store, List<RoomName> rooms, String prefix, int count,
                                           int thread) {
        User sender = new User(UserId.of("writer-" + prefix), "Writer " + prefix);
        List<MessageDraft> drafts = new ArrayList<>(count);
        List<CompletableFuture<AppendOutcome>> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            MessageDraft draft = draft(rooms.get((i * 7 + thread) % rooms.size()), prefix + "-" + i, sender,
                    "message " + i);
            drafts.add(draft);
            pending.add(store.append(draft));
        }
        List<Sent> sent = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            AppendOutcome outcome = await(pending.get(i));
            assertThat(outcome).isInstanceOf(AppendOutcome.Stored.class);
            sent.add(new Sent(drafts.get(i), outcome.message(), thread, i));
        }
        return sent;
    }

    /**
     * Per room: seqs 1..n with no gap, every acked message stored as acked, once, and each
     * thread's messages to the room in the order it appended them.
     */
    private static void assertEveryRoomGapFreeInCallOrder(List<Sent> sent, Map<String, List<ChatMessage>> storedByRoom) {
        Map<String, ChatMessage> storedByKey = new HashMap<>();
        for (Map.Entry<String, List<ChatMessage>> room : storedByRoom.entrySet()) {
            List<ChatMessage> stored = room.getValue();
            assertThat(stored).as("%s", room.getKey()).extracting(ChatMessage::seq)
                    .containsExactlyElementsOf(PostgresMessageStoreTest.range(1, stored.size()));
            for (ChatMessage message : stored) {
                assertThat(storedByKey.put(message.room().value() + "/" + message.id().value(), message))
                        .as("stored once: %s", message).isNull();
            }
        }
        Map<String, Long> lastSeq = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Sent message : sent) {
            String key = message.draft().room().value() + "/" + message.draft().id().value();
            assertThat(keys.add(key)).isTrue();
            assertThat(storedByKey.get(key)).as("acked %s is stored as acked", key).isEqualTo(message.stored());
            Long previous = lastSeq.put(message.thread() + "@" + message.draft().room().value(),
                    message.stored().seq());
            if (previous != null) {
                assertThat(message.stored().seq()).as("thread %d's order in %s", message.thread(),
                        message.draft().room()).isGreaterThan(previous);
            }
        }
        assertThat(keys).hasSize(storedByKey.size());
    }

    private static PostgresMessageStore start(String label, PostgresSettings settings) {
        return PostgresMessageStore.start(settings.withApplicationName(schema + "_" + label), Clock.systemUTC());
    }
}
