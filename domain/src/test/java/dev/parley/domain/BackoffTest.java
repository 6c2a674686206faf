package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private static final Backoff PROTOCOL = Backoff.PROTOCOL_DEFAULT;

    @Test
    void given_protocol_default_when_reading_then_base_500ms_factor_2_cap_30s() {
        assertThat(PROTOCOL).isEqualTo(new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(30)));
    }

    @ParameterizedTest(name = "attempt {0} -> {1} ms")
    @CsvSource({"0, 500", "1, 1000", "2, 2000", "3, 4000", "4, 8000", "5, 16000", "6, 30000", "7, 30000",
            "62, 30000", "1100, 30000", "2147483647, 30000"})
    void givenAttempt_whenAskingCeiling_thenBaseDoubledPerAttemptUpToTheCap(int attempt, long millis) {
        assertThat(PROTOCOL.ceiling(attempt)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void given_negative_attempt_when_asking_ceiling_or_delay_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> PROTOCOL.ceiling(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> PROTOCOL.delay(-1, ScriptedRandom.highest()));
    }

    @Test
    void given_factor_one_when_asking_ceilings_then_always_the_base() {
        Backoff constant = new Backoff(Duration.ofMillis(250), 1.0, Duration.ofSeconds(1));

        assertThat(constant.ceiling(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(constant.ceiling(50)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void given_cap_equal_to_base_when_asking_ceilings_then_always_the_cap() {
        Backoff flat = new Backoff(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(1));

        assertThat(flat.ceiling(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(flat.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void given_random_always_at_its_top_when_asking_delays_then_each_delay_is_the_ceiling_itself() {
        ScriptedRandom random = ScriptedRandom.highest();
        List<Duration> delays = new ArrayList<>();
        for (int attempt = 0; attempt <= 7; attempt++) {
            delays.add(PROTOCOL.delay(attempt, random));
        }

        assertThat(delays).extracting(Duration::toMillis)
                .containsExactly(500L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L, 30000L);
    }

    @Test
    void given_random_always_at_its_bottom_when_asking_delays_then_each_delay_is_zero() {
        ScriptedRandom random = ScriptedRandom.lowest();

        assertThat(PROTOCOL.delay(0, random)).isEqualTo(Duration.ZERO);
        assertThat(PROTOCOL.delay(9, random)).isEqualTo(Duration.ZERO);
    }

    @Test
    void given_any_random_when_asking_delay_then_draw_is_uniform_over_zero_to_ceiling_inclusive() {
        ScriptedRandom random = ScriptedRandom.lowest();

        PROTOCOL.delay(0, random);
        PROTOCOL.delay(3, random);
        PROTOCOL.delay(20, random);

        assertThat(random.bounds).containsExactly(501L, 4001L, 30001L);
    }

    @Test
    void given_seeded_random_when_asking_many_delays_then_all_within_full_jitter_bounds_and_reproducible() {
        SplittableRandom first = new SplittableRandom(42);
        SplittableRandom second = new SplittableRandom(42);
        long smallest = Long.MAX_VALUE;
        long largest = Long.MIN_VALUE;
        for (int i = 0; i < 5_000; i++) {
            int attempt = i % 10;
            Duration delay = PROTOCOL.delay(attempt, first);

            assertThat(delay).isBetween(Duration.ZERO, PROTOCOL.ceiling(attempt));
            assertThat(PROTOCOL.delay(attempt, second)).isEqualTo(delay);
            if (attempt == 9) {
                smallest = Math.min(smallest, delay.toMillis());
                largest = Math.max(largest, delay.toMillis());
            }
        }

        assertThat(smallest).as("full jitter reaches close to zero").isLessThan(1_000);
        assertThat(largest).as("full jitter reaches close to the cap").isGreaterThan(29_000);
    }

    @Test
    void given_non_positive_base_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ZERO, 2.0, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofMillis(-1), 2.0, Duration.ofSeconds(1)));
    }

    @Test
    void given_factor_below_one_or_not_finite_when_constructing_then_illegal_argument() {
        Duration base = Duration.ofMillis(100);
        Duration cap = Duration.ofSeconds(1);

        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(base, 0.99, cap));
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(base, -2.0, cap));
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(base, Double.NaN, cap));
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(base, Double.POSITIVE_INFINITY, cap));
    }

    @Test
    void given_cap_below_base_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(1)));
    }

    @Test
    void given_missing_duration_when_constructing_then_null_pointer() {
        assertThatNullPointerException().isThrownBy(() -> new Backoff(null, 2.0, Duration.ofSeconds(1)));
        assertThatNullPointerException().isThrownBy(() -> new Backoff(Duration.ofSeconds(1), 2.0, null));
    }
}
