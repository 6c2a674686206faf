package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With a random that always draws its top value every wait equals the backoff ceiling, so waits are exact. */
class ReconnectScheduleTest {
    private final ReconnectSchedule schedule = ReconnectSchedule.protocolDefault(ScriptedRandom.highest());

    private static long millis(Duration duration) {
        return duration.toMillis();
    }

    @Test
    void given_protocol_default_when_reading_then_stable_period_is_ten_seconds() {
        assertThat(ReconnectSchedule.PROTOCOL_STABLE_PERIOD).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void given_fresh_schedule_when_nothing_failed_yet_then_no_attempt_counted() {
        assertThat(schedule.attempt()).isZero();
    }

    @Test
    void given_repeated_failures_when_disconnecting_then_waits_grow_to_the_cap_and_attempts_count() {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.add(millis(schedule.disconnected(i * 1_000L)));
        }

        assertThat(waits).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
        assertThat(schedule.attempt()).isEqualTo(9);
    }

    @Test
    void given_connection_up_for_the_stable_period_when_it_drops_then_attempts_reset_to_the_first_wait() {
        schedule.disconnected(0);
        schedule.disconnected(1_000);
        schedule.disconnected(3_000);
        schedule.connected(10_000);

        Duration wait = schedule.disconnected(20_000);

        assertThat(millis(wait)).isEqualTo(500);
        assertThat(schedule.attempt()).isEqualTo(1);
    }

    @Test
    void given_connection_up_just_shorter_than_the_stable_period_when_it_drops_then_attempts_keep_growing() {
        schedule.disconnected(0);
        schedule.disconnected(1_000);
        schedule.disconnected(3_000);
        schedule.connected(10_000);

        Duration wait = schedule.disconnected(19_999);

        assertThat(millis(wait)).isEqualTo(4_000);
        assertThat(schedule.attempt()).isEqualTo(4);
    }

    @Test
    void given_connection_up_at_time_zero_when_it_drops_after_the_stable_period_then_attempts_reset() {
        schedule.disconnected(-5_000);
        schedule.disconnected(-3_000);
        schedule.connected(0);

        assertThat(millis(schedule.disconnected(10_000))).isEqualTo(500);
    }

    @Test
    void given_failed_attempts_without_any_connection_when_much_time_passes_then_no_reset() {
        schedule.disconnected(0);
        schedule.disconnected(60_000);

        assertThat(millis(schedule.disconnected(600_000))).isEqualTo(2_000);
    }

    @Test
    void given_stable_connection_that_later_failed_to_reconnect_when_failing_again_then_the_old_connection_no_longer_resets() {
        schedule.disconnected(0);
        schedule.disconnected(1_000);
        schedule.connected(2_000);
        schedule.disconnected(20_000);

        Duration wait = schedule.disconnected(40_000);

        assertThat(millis(wait)).isEqualTo(1_000);
        assertThat(schedule.attempt()).isEqualTo(2);
    }

    @Test
    void given_custom_stable_period_when_connection_outlives_it_then_attempts_reset() {
        ReconnectSchedule custom = new ReconnectSchedule(
                new Backoff(Duration.ofMillis(100), 3.0, Duration.ofSeconds(5)), Duration.ofSeconds(1),
                ScriptedRandom.highest());

        assertThat(millis(custom.disconnected(0))).isEqualTo(100);
        assertThat(millis(custom.disconnected(100))).isEqualTo(300);
        custom.connected(500);
        assertThat(millis(custom.disconnected(1_499))).isEqualTo(900);
        custom.connected(2_000);
        assertThat(millis(custom.disconnected(3_000))).isEqualTo(100);
    }

    @Test
    void given_endless_failures_when_counting_then_the_attempt_count_stops_growing_at_62() {
        for (int i = 0; i < 100; i++) {
            assertThat(millis(schedule.disconnected(i))).isLessThanOrEqualTo(30_000);
        }

        assertThat(schedule.attempt()).isEqualTo(62);
    }

    @Test
    void given_missing_collaborator_when_constructing_then_null_pointer() {
        Backoff backoff = Backoff.PROTOCOL_DEFAULT;
        Duration period = Duration.ofSeconds(10);
        ScriptedRandom random = ScriptedRandom.highest();

        assertThatNullPointerException().isThrownBy(() -> new ReconnectSchedule(null, period, random));
        assertThatNullPointerException().isThrownBy(() -> new ReconnectSchedule(backoff, null, random));
        assertThatNullPointerException().isThrownBy(() -> new ReconnectSchedule(backoff, period, null));
    }
}
