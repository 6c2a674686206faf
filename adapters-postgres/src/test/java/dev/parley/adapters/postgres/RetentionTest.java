package dev.parley.adapters.postgres;

import static dev.parley.adapters.postgres.Drafts.ALICE;
import static dev.parley.adapters.postgres.Drafts.draft;
import static dev.parley.adapters.postgres.Drafts.uniqueRoom;
import static dev.parley.adapters.postgres.PostgresMessageStoreTest.appendAll;
import static dev.parley.adapters.postgres.PostgresMessageStoreTest.await;
import static dev.parley.adapters.postgres.PostgresMessageStoreTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.testing.MutableClock;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retention by count and by age, pruned by the store's background task. */
class RetentionTest {
    private static final Duration PRUNE_INTERVAL = Duration.ofMillis(100);

    private String url;
    private String schema;

    @BeforeEach
    void createSchema() {
        url = TestDatabase.url();
        schema = TestDatabase.uniqueSchema("retention");
    }

    @AfterEach
    void dropSchema() throws Exception {
        if (schema != null) {
            TestDatabase.dropSchema(schema);
        }
    }

    @Test
    void given_retention_of_five_messages_when_twelve_stored_then_the_oldest_seven_are_pruned_and_bounds_move_up()
            throws Exception {
        RoomName room = uniqueRoom("count");
        try (PostgresMessageStore store = start(OptionalLong.of(5), Optional.empty(), Clock.systemUTC())) {
            appendAll(store, room, "c", 12);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> await(store.streamState(room)).oldestRetainedSeq() == 8);

            assertThat(await(store.streamState(room)).latestSeq()).isEqualTo(12);
            assertThat(await(store.range(room, 0, 12))).extracting(ChatMessage::seq).containsExactlyElementsOf(range(8, 12));
            HistoryPage newest = await(store.history(query(room, OptionalLong.empty(), OptionalLong.empty(), 50)));
            assertThat(newest.messages()).extracting(ChatMessage::seq).containsExactlyElementsOf(range(8, 12));
            assertThat(newest.hasMore()).isFalse();
            HistoryPage belowNine = await(store.history(query(room, OptionalLong.empty(), OptionalLong.of(9), 50)));
            assertThat(belowNine.messages()).extracting(ChatMessage::seq).containsExactly(8L);
            assertThat(belowNine.hasMore()).isFalse();
            HistoryPage fromStart = await(store.history(query(room, OptionalLong.of(0), OptionalLong.empty(), 2)));
            assertThat(fromStart.messages()).extracting(ChatMessage::seq).containsExactly(8L, 9L);
            assertThat(fromStart.hasMore()).isTrue();
            assertThat(TestDatabase.queryLong("SELECT count(*) FROM " + schema + ".messages WHERE room = ?",
                    room.value())).isEqualTo(5);
            assertThat(store.append(draft(room, "c-13", ALICE, "next")).join().message().seq()).isEqualTo(13);
        }
    }

    @Test
    void given_more_to_prune_than_one_chunk_when_pruned_then_all_but_the_retained_are_gone() throws Exception {
        RoomName room = uniqueRoom("chunks");
        int stored = RetentionPruner.CHUNK + 1_500;
        try (PostgresMessageStore store = start(OptionalLong.of(10), Optional.empty(), Clock.systemUTC())) {
            appendAll(store, room, "k", stored);

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> await(store.streamState(room)).oldestRetainedSeq() == stored - 9);

            assertThat(TestDatabase.queryLong("SELECT count(*) FROM " + schema + ".messages WHERE room = ?",
                    room.value())).isEqualTo(10);
        }
    }

    @Test
    void given_retention_by_age_when_time_passes_then_older_messages_are_pruned_and_seqs_go_on() throws Exception {
        RoomName room = uniqueRoom("age");
        MutableClock clock = new MutableClock(Instant.now());
        Duration maxAge = Duration.ofHours(1);
        try (PostgresMessageStore store = start(OptionalLong.empty(), Optional.of(maxAge), clock)) {
            ChatMessage first = await(store.append(draft(room, "a1", ALICE, "old"))).message();
            await(store.append(draft(room, "a2", ALICE, "old too")));
            Thread.sleep(20);
            ChatMessage third = await(store.append(draft(room, "a3", ALICE, "recent"))).message();
            assertThat(third.sentAt()).isGreaterThan(first.sentAt() + 10);

            // an hour after the third message was stored, less a millisecond: only the first two are too old
            clock.set(Instant.ofEpochMilli(third.sentAt()).plus(maxAge).minusMillis(1));

            await().atMost(Duration.ofSeconds(10)).until(() -> await(store.streamState(room)).oldestRetainedSeq() == 3);
            assertThat(await(store.range(room, 0, 3))).containsExactly(third);

            clock.set(Instant.ofEpochMilli(third.sentAt()).plus(maxAge).plusSeconds(1));

            await().atMost(Duration.ofSeconds(10)).until(() -> await(store.streamState(room)).oldestRetainedSeq() == 4);
            RoomStreamState emptied = await(store.streamState(room));
            assertThat(emptied.latestSeq()).isEqualTo(3);
            assertThat(await(store.history(query(room, OptionalLong.empty(), OptionalLong.empty(), 50))))
                    .isEqualTo(new HistoryPage(room, java.util.List.of(), false));
            assertThat(await(store.append(draft(room, "a4", ALICE, "after the purge"))).message().seq()).isEqualTo(4);
            assertThat(await(store.streamState(room))).isEqualTo(new RoomStreamState(emptied.epoch(), 4, 4));
        }
    }

    @Test
    void given_retention_by_age_over_more_than_two_chunks_when_pruned_then_the_walk_stops_at_the_first_recent_message()
            throws Exception {
        RoomName room = uniqueRoom("age-chunks");
        int old = 2 * RetentionPruner.CHUNK + 1_000;
        MutableClock clock = new MutableClock(Instant.now());
        Duration maxAge = Duration.ofHours(1);
        try (PostgresMessageStore store = start(OptionalLong.empty(), Optional.of(maxAge), clock)) {
            appendAll(store, room, "o", old);
            Thread.sleep(20);
            ChatMessage recent = await(store.append(draft(room, "recent", ALICE, "recent"))).message();
            await(store.append(draft(room, "later", ALICE, "later")));

            // the cut-off falls just before the recent message: all the others, over three chunks, are older
            clock.set(Instant.ofEpochMilli(recent.sentAt()).plus(maxAge).minusMillis(1));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> await(store.streamState(room)).oldestRetainedSeq() == old + 1);
            assertThat(store.pruneNow()).isZero();
            assertThat(await(store.range(room, 0, old + 2))).extracting(m -> m.id().value())
                    .containsExactly("recent", "later");
        }
    }

    @Test
    void given_retention_by_count_and_by_age_when_pruned_then_what_either_drops_is_gone() throws Exception {
        RoomName room = uniqueRoom("both");
        MutableClock clock = new MutableClock(Instant.now());
        Duration maxAge = Duration.ofHours(1);
        try (PostgresMessageStore store = start(OptionalLong.of(5), Optional.of(maxAge), clock)) {
            appendAll(store, room, "b", 12);
            Thread.sleep(20);
            ChatMessage recent = await(store.append(draft(room, "recent", ALICE, "recent"))).message();
            await(store.append(draft(room, "later", ALICE, "later")));

            // by count the newest 5 stay (seqs 10 to 14); by age only the newest 2
            clock.set(Instant.ofEpochMilli(recent.sentAt()).plus(maxAge).minusMillis(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> await(store.streamState(room)).oldestRetainedSeq() == 13);

            // nothing too old any more: four more messages (seqs 15 to 18), and the count keeps the newest 5
            clock.set(Instant.ofEpochMilli(recent.sentAt()).minusSeconds(60));
            appendAll(store, room, "m", 4);
            await().atMost(Duration.ofSeconds(10)).until(() -> await(store.streamState(room)).oldestRetainedSeq() == 14);
            assertThat(await(store.range(room, 0, 20))).extracting(ChatMessage::seq)
                    .containsExactly(14L, 15L, 16L, 17L, 18L);
        }
    }

    @Test
    void given_no_retention_when_many_stored_then_nothing_is_pruned() throws Exception {
        RoomName room = uniqueRoom("keep");
        try (PostgresMessageStore store = PostgresMessageStore.start(TestDatabase.settings(url, schema),
                Clock.systemUTC())) {
            appendAll(store, room, "n", 50);

            assertThat(store.pruneNow()).isZero();
            assertThat(await(store.streamState(room)).oldestRetainedSeq()).isEqualTo(1);
        }
    }

    private PostgresMessageStore start(OptionalLong messages, Optional<Duration> age, Clock clock) {
        return PostgresMessageStore.start(TestDatabase.settings(url, schema).withRetention(messages, age, PRUNE_INTERVAL),
                clock);
    }

    private static HistoryQuery query(RoomName room, OptionalLong after, OptionalLong before, int limit) {
        return new HistoryQuery(room, after, before, limit);
    }
}
