package dev.parley.adapters.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.MessageStoreContract;
import dev.parley.application.testing.MutableClock;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InMemoryMessageStoreTest extends MessageStoreContract {
    private static final User ALICE = User.named("alice");

    @Override
    protected MessageStore createStore() {
        return new InMemoryMessageStore(Clock.systemUTC());
    }

    @Test
    void given_retention_of_three_when_five_appended_then_only_the_newest_three_are_retained() {
        InMemoryMessageStore small = new InMemoryMessageStore(Clock.systemUTC(), 3);
        RoomName room = uniqueRoom("retention");
        for (int i = 1; i <= 5; i++) {
            await(small.append(draft(room, "m" + i, ALICE, "message " + i)));
        }

        RoomStreamState state = await(small.streamState(room));
        HistoryPage newest = await(small.history(new HistoryQuery(room, OptionalLong.empty(), OptionalLong.empty(), 50)));
        HistoryPage fromStart = await(small.history(new HistoryQuery(room, OptionalLong.of(0), OptionalLong.empty(), 2)));
        HistoryPage belowOldest = await(small.history(new HistoryQuery(room, OptionalLong.empty(), OptionalLong.of(3), 50)));

        assertThat(state.latestSeq()).isEqualTo(5);
        assertThat(state.oldestRetainedSeq()).isEqualTo(3);
        assertThat(await(small.range(room, 0, 5))).extracting(ChatMessage::seq).containsExactly(3L, 4L, 5L);
        assertThat(newest.messages()).extracting(ChatMessage::seq).containsExactly(3L, 4L, 5L);
        assertThat(newest.hasMore()).isFalse();
        assertThat(fromStart.messages()).extracting(ChatMessage::seq).containsExactly(3L, 4L);
        assertThat(fromStart.hasMore()).isTrue();
        assertThat(belowOldest.messages()).isEmpty();
        assertThat(belowOldest.hasMore()).isFalse();
    }

    @Test
    void given_evicted_message_when_its_draft_is_appended_again_then_it_is_stored_as_new_because_its_key_was_dropped() {
        InMemoryMessageStore small = new InMemoryMessageStore(Clock.systemUTC(), 3);
        RoomName room = uniqueRoom("evicted-key");
        for (int i = 1; i <= 4; i++) {
            await(small.append(draft(room, "m" + i, ALICE, "message " + i)));
        }

        AppendOutcome evicted = await(small.append(draft(room, "m1", ALICE, "message 1")));
        AppendOutcome retained = await(small.append(draft(room, "m4", ALICE, "message 4")));

        assertThat(evicted).isInstanceOf(AppendOutcome.Stored.class);
        assertThat(evicted.message().seq()).isEqualTo(5);
        assertThat(retained).isInstanceOf(AppendOutcome.Duplicate.class);
        assertThat(retained.message().seq()).isEqualTo(4);
    }

    @Test
    void given_retention_of_one_when_appended_then_only_the_latest_is_kept() {
        InMemoryMessageStore tiny = new InMemoryMessageStore(Clock.systemUTC(), 1);
        RoomName room = uniqueRoom("tiny");
        await(tiny.append(draft(room, "m1", ALICE, "one")));
        await(tiny.append(draft(room, "m2", ALICE, "two")));

        assertThat(await(tiny.streamState(room))).isEqualTo(new RoomStreamState(await(tiny.streamState(room)).epoch(), 2, 2));
        assertThat(await(tiny.range(room, 0, 2))).extracting(ChatMessage::seq).containsExactly(2L);
    }

    @Test
    void given_retention_below_one_when_created_then_refused() {
        assertThatThrownBy(() -> new InMemoryMessageStore(Clock.systemUTC(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void given_two_instances_when_epochs_read_then_they_differ() {
        InMemoryMessageStore other = new InMemoryMessageStore(Clock.systemUTC());
        RoomName room = uniqueRoom("epochs");

        assertThat(await(store.streamState(room)).epoch()).isNotEqualTo(await(other.streamState(room)).epoch());
    }

    @Test
    void given_one_instance_when_rooms_read_then_they_share_its_epoch() {
        assertThat(await(store.streamState(uniqueRoom("a"))).epoch())
                .isEqualTo(await(store.streamState(uniqueRoom("b"))).epoch());
    }

    @Test
    void given_fixed_clock_when_appended_then_sent_at_is_the_clocks_time() {
        Instant now = Instant.parse("2026-11-25T09:20:56.123Z");
        InMemoryMessageStore fixed = new InMemoryMessageStore(Clock.fixed(now, ZoneOffset.UTC));

        ChatMessage message = await(fixed.append(draft(uniqueRoom("clock"), "m1", ALICE, "hi"))).message();

        assertThat(message.sentAt()).isEqualTo(now.toEpochMilli());
    }

    @Test
    void given_max_age_when_time_passes_then_expired_messages_are_dropped_and_seqs_go_on() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        InMemoryMessageStore aging = new InMemoryMessageStore(clock, 100, Optional.of(Duration.ofMinutes(30)));
        RoomName room = uniqueRoom("age");
        await(aging.append(draft(room, "m1", ALICE, "old")));
        clock.advance(Duration.ofMinutes(10));
        await(aging.append(draft(room, "m2", ALICE, "newer")));

        clock.advance(Duration.ofMinutes(20).plusMillis(1));
        RoomStreamState firstExpired = await(aging.streamState(room));
        HistoryPage page = await(aging.history(new HistoryQuery(room, OptionalLong.empty(), OptionalLong.empty(), 50)));

        assertThat(firstExpired.latestSeq()).isEqualTo(2);
        assertThat(firstExpired.oldestRetainedSeq()).isEqualTo(2);
        assertThat(page.messages()).extracting(ChatMessage::seq).containsExactly(2L);
        assertThat(page.hasMore()).isFalse();
        assertThat(await(aging.append(draft(room, "m1", ALICE, "old"))).message().seq())
                .as("an expired message's key is dropped with it")
                .isEqualTo(3);

        clock.advance(Duration.ofHours(1));
        assertThat(await(aging.range(room, 0, 3))).isEmpty();
        assertThat(await(aging.streamState(room))).isEqualTo(new RoomStreamState(firstExpired.epoch(), 3, 4));
        assertThat(await(aging.append(draft(room, "m4", ALICE, "after"))).message().seq()).isEqualTo(4);
    }

    @Test
    void given_max_age_when_prune_expired_runs_then_untouched_rooms_are_emptied_too() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));
        InMemoryMessageStore aging = new InMemoryMessageStore(clock, 100, Optional.of(Duration.ofSeconds(5)));
        RoomName quiet = uniqueRoom("quiet");
        await(aging.append(draft(quiet, "m1", ALICE, "one")));
        await(aging.append(draft(quiet, "m2", ALICE, "two")));
        clock.advance(Duration.ofSeconds(6));

        aging.pruneExpired();
        clock.set(Instant.parse("2026-12-02T10:00:00Z"));

        assertThat(await(aging.streamState(quiet)).oldestRetainedSeq())
                .as("pruned while the clock was late, so still gone when it reads earlier")
                .isEqualTo(3);
    }

    @Test
    void given_max_age_not_positive_when_created_then_refused() {
        assertThatThrownBy(() -> new InMemoryMessageStore(Clock.systemUTC(), 10, Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
