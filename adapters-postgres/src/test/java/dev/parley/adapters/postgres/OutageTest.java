package dev.parley.adapters.postgres;

import static dev.parley.adapters.postgres.Drafts.ALICE;
import static dev.parley.adapters.postgres.Drafts.draft;
import static dev.parley.adapters.postgres.Drafts.uniqueRoom;
import static dev.parley.adapters.postgres.PostgresMessageStoreTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.application.testing.TcpProxy;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL going away and coming back: calls fail fast with {@link StoreUnavailableException},
 * the health probe says so, the store recovers by itself, and no acknowledged append is lost.
 * A {@link TcpProxy} in front of the database plays the outage.
 */
class OutageTest {
    /** docs/protocol.md guarantee 6 in time: a call answers within 2 s while the database is away. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(2);

    private static String url;
    private static String schema;

    @BeforeAll
    static void createSchema() {
        url = TestDatabase.url();
        schema = TestDatabase.uniqueSchema("outage");
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void given_nothing_listening_when_called_then_every_call_fails_within_two_seconds_and_health_is_down() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        long started = System.nanoTime();
        try (PostgresMessageStore store = PostgresMessageStore.start(
                TestDatabase.settings(TcpProxy.redirect(url, deadPort), schema), Clock.systemUTC())) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("start").isLessThan(Duration.ofSeconds(5));
            RoomName room = uniqueRoom("dead");

            assertFailsFast(() -> store.append(draft(room, "m1", ALICE, "hello")));
            assertFailsFast(() -> store.streamState(room));
            assertFailsFast(() -> store.range(room, 0, 10));
            assertFailsFast(() -> store.history(newest(room)));
            assertThat(store.isHealthy()).isFalse();
        }
    }

    @Test
    void given_database_gone_after_start_when_called_then_fail_fast_until_it_returns_and_then_serve_again() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(url, 5432);
             PostgresMessageStore store = startThrough(proxy, "gone")) {
            RoomName room = uniqueRoom("gone");
            ChatMessage before = await(store.append(draft(room, "m1", ALICE, "before"))).message();
            assertThat(store.isHealthy()).isTrue();

            proxy.stop();

            assertFailsFast(() -> store.append(draft(room, "m2", ALICE, "during")));
            assertFailsFast(() -> store.history(newest(room)));
            await().atMost(Duration.ofSeconds(5)).until(() -> !store.isHealthy());
            // a burst of calls while down: every one of them answers within the time too
            List<CompletableFuture<AppendOutcome>> burst = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                burst.add(store.append(draft(room, "burst-" + i, ALICE, "burst")));
            }
            for (CompletableFuture<AppendOutcome> future : burst) {
                assertUnavailable(future, FAIL_FAST.plusMillis(500));
            }

            proxy.start();

            await().atMost(Duration.ofSeconds(10)).until(store::isHealthy);
            AppendOutcome after = await(store.append(draft(room, "m2", ALICE, "after")));
            assertThat(after.message().seq()).isEqualTo(2);
            assertThat(await(store.range(room, 0, 10))).containsExactly(before, after.message());
        }
    }

    @Test
    void given_database_unreachable_at_start_when_it_comes_up_then_store_migrates_and_serves() throws Exception {
        String lateSchema = TestDatabase.uniqueSchema("late");
        try (TcpProxy proxy = TcpProxy.to(url, 5432);
             PostgresMessageStore store = PostgresMessageStore.start(TestDatabase.settings(
                     TcpProxy.redirect(url, proxy.port()), lateSchema).withHealthInterval(Duration.ofMillis(200)),
                     Clock.systemUTC())) {
            RoomName room = uniqueRoom("late");
            assertThat(store.isHealthy()).isFalse();
            assertFailsFast(() -> store.append(draft(room, "m1", ALICE, "too early")));

            proxy.start();

            await().atMost(Duration.ofSeconds(10)).until(store::isHealthy);
            assertThat(await(store.append(draft(room, "m1", ALICE, "in time"))).message().seq()).isEqualTo(1);
        } finally {
            TestDatabase.dropSchema(lateSchema);
        }
    }

    @Test
    void given_network_that_stops_answering_when_called_then_calls_return_at_once_and_fail_within_two_seconds()
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(url, 5432);
             PostgresMessageStore store = startThrough(proxy, "frozen")) {
            RoomName room = uniqueRoom("frozen");
            await(store.append(draft(room, "m1", ALICE, "before")));

            proxy.freeze();

            long called = System.nanoTime();
            CompletableFuture<AppendOutcome> append = store.append(draft(room, "m2", ALICE, "lost in the network"));
            CompletableFuture<?> history = store.history(newest(room));
            assertThat(Duration.ofNanos(System.nanoTime() - called)).as("calls return at once")
                    .isLessThan(Duration.ofMillis(100));
            assertThat(append).isNotDone();
            assertUnavailable(append, FAIL_FAST.plusMillis(500));
            assertUnavailable(history, FAIL_FAST.plusMillis(500));

            proxy.stop();
            proxy.start();

            await().atMost(Duration.ofSeconds(10)).until(store::isHealthy);
            // m2 failed; whether its commit happened or not, a retry with its id stores it once
            AppendOutcome retried = await(store.append(draft(room, "m2", ALICE, "lost in the network")));
            assertThat(retried.message().seq()).isEqualTo(2);
            assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(2);
        }
    }

    @Test
    void given_pool_sessions_terminated_mid_stream_when_appends_go_on_then_later_appends_succeed_and_nothing_acked_is_lost()
            throws Exception {
        String applicationName = schema + "_terminated";
        try (PostgresMessageStore store = PostgresMessageStore.start(
                TestDatabase.settings(url, schema).withApplicationName(applicationName), Clock.systemUTC())) {
            RoomName room = uniqueRoom("terminated");
            Map<String, CompletableFuture<AppendOutcome>> sent = new HashMap<>();
            int terminated = 0;
            for (int i = 0; i < 3_000; i++) {
                String id = "m" + i;
                sent.put(id, store.append(draft(room, id, ALICE, "message " + i)));
                if (i % 100 == 99) {
                    Thread.sleep(5);
                }
                if (i == 1_000 || i == 2_000) {
                    terminated += TestDatabase.terminateSessions(applicationName);
                }
            }
            CompletableFuture.allOf(sent.values().stream().map(f -> f.handle((ok, failed) -> null))
                    .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            Map<String, ChatMessage> acked = new HashMap<>();
            List<String> failed = new ArrayList<>();
            sent.forEach((id, future) -> {
                if (future.isCompletedExceptionally()) {
                    failed.add(id);
                } else {
                    acked.put(id, future.join().message());
                }
            });

            assertThat(terminated).as("sessions terminated").isPositive();
            AppendOutcome later = await(store.append(draft(room, "later", ALICE, "after the terminations")));
            assertThat(later).isInstanceOf(AppendOutcome.Stored.class);
            List<ChatMessage> stored = await(store.range(room, 0, Long.MAX_VALUE));
            Map<String, ChatMessage> storedById = stored.stream()
                    .collect(Collectors.toMap(message -> message.id().value(), message -> message));
            assertThat(stored).extracting(ChatMessage::seq)
                    .containsExactlyElementsOf(PostgresMessageStoreTest.range(1, stored.size()));
            acked.forEach((id, message) -> assertThat(storedById.get(id)).as("acked %s", id).isEqualTo(message));
            for (String id : failed) {
                MessageDraft again = draft(room, id, ALICE, "message " + id.substring(1));
                assertThat(await(store.append(again)).message().id().value()).isEqualTo(id);
            }
            assertThat(await(store.range(room, 0, Long.MAX_VALUE))).hasSize(3_001)
                    .extracting(ChatMessage::seq).containsExactlyElementsOf(PostgresMessageStoreTest.range(1, 3_001));
            System.err.printf("terminated %d sessions mid-stream: %d of 3,000 appends failed, all acked kept%n",
                    terminated, failed.size());
        }
    }

    private static PostgresMessageStore startThrough(TcpProxy proxy, String label) throws IOException {
        proxy.start();
        return PostgresMessageStore.start(TestDatabase.settings(TcpProxy.redirect(url, proxy.port()), schema)
                .withApplicationName(schema + "_" + label)
                .withHealthInterval(Duration.ofMillis(200)), Clock.systemUTC());
    }

    private static void assertFailsFast(Supplier<CompletableFuture<?>> call) {
        long started = System.nanoTime();
        CompletableFuture<?> future = call.get();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the call returns at once")
                .isLessThan(Duration.ofMillis(100));
        assertUnavailable(future, FAIL_FAST);
    }

    private static void assertUnavailable(CompletableFuture<?> future, Duration within) {
        assertThat(future).failsWithin(within).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(StoreUnavailableException.class);
    }

    private static HistoryQuery newest(RoomName room) {
        return new HistoryQuery(room, OptionalLong.empty(), OptionalLong.empty(), 50);
    }
}
