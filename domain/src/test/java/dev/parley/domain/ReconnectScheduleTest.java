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
    void givenProtocolDefault_whenReading_thenStablePeriodIsTenSeconds() {
        assertThat(ReconnectSchedule.PROTOCOL_STABLE_PERIOD).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void givenFreshSchedule_whenNothingFailedYet_thenNoAttemptCounted() {
        assertThat(schedule.attempt()).isZero();
    }

    @Test
    void givenRepeatedFailures_whenDisconnecting_thenWaitsGrowToTheCapAndAttemptsCount() {
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            waits.add(millis(schedule.disconnected(i * 1_000L)));
        }

        assertThat(waits).containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L, 30000L);
        assertThat(schedule.attempt()).isEqualTo(9);
    }

    @Test
    void givenConnectionUpForTheStablePeriod_whenItDrops_thenAttemptsResetToTheFirstWait() {
        schedule.disconnected(0);
        schedule.disconnected(1_000);
        schedule.disconnected(3_000);
        schedule.connected(10_000);

        Duration wait = schedule.disconnected(20_000);

        assertThat(millis(wait)).isEqualTo(500);
        assertThat(schedule.attempt()).isEqualTo(1);
    }

    @Test
    void givenConnectionUpJustShorterThanTheStablePeriod_whenItDrops_thenAttemptsKeepGrowing() {
        schedule.disconnected(0);
        schedule.disconnected(1_000);
        schedule.disconnected(3_000);
        schedule.connected(10_000);

        Duration wait = schedule.disconnected(19_999);

        assertThat(millis(wait)).isEqualTo(4_000);
        assertThat(schedule.attempt()).isEqualTo(4);
    }

    @Test
    void givenConnectionUpAtTimeZero_whenItDropsAfterTheStablePeriod_thenAttemptsReset() {
        schedule.disconnected(-5_000);
        schedule.disconnected(-3_000);
        schedule.connected(0);

        assertThat(millis(schedule.disconnected(10_000))).isEqualTo(500);
    }

    @Test
    void givenFailedAttemptsWithoutAnyConnection_whenMuchTimePasses_thenNoReset() {
        schedule.disconnected(0);
        schedule.disconnected(60_000);

        assertThat(millis(schedule.disconnected(600_000))).isEqualTo(2_000);
    }

    @Test
    void givenStableConnectionThatLaterFailedToReconnect_whenFailingAgain_thenTheOldConnectionNoLongerResets() {
        schedule.disconnected(0);
        schedule.disconnected(1_000);
        schedule.connected(2_000);
        schedule.disconnected(20_000);

        Duration wait = schedule.disconnected(40_000);

        assertThat(millis(wait)).isEqualTo(1_000);
        assertThat(schedule.attempt()).isEqualTo(2);
    }

    @Test
    void givenCustomStablePeriod_whenConnectionOutlivesIt_thenAttemptsReset() {
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
    void givenEndlessFailures_whenCounting_thenTheAttemptCountStopsGrowingAt62() {
        for (int i = 0; i < 100; i++) {
            assertThat(millis(schedule.disconnected(i))).isLessThanOrEqualTo(30_000);
        }

        assertThat(schedule.attempt()).isEqualTo(62);
    }

    @Test
    void givenMissingCollaborator_whenConstructing_thenNullPointer() {
        Backoff backoff = Backoff.PROTOCOL_DEFAULT;
        Duration period = Duration.ofSeconds(10);
        ScriptedRandom random = ScriptedRandom.highest();

        assertThatNullPointerException().isThrownBy(() -> new ReconnectSchedule(null, period, random));
        assertThatNullPointerException().isThrownBy(() -> new ReconnectSchedule(backoff, null, random));
        assertThatNullPointerException().isThrownBy(() -> new ReconnectSchedule(backoff, period, null));
    }
}
