package dev.parley.adapters.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.domain.ConnectionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketRateLimiterTest {
    private final ConnectionId connection = ConnectionId.of("conn-1");

    @Test
    void given_full_bucket_when_burst_taken_then_all_allowed_and_the_next_gets_a_positive_retry_after() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 5);

        List<Long> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(limiter.tryAcquire(connection));
        }
        long retryAfter = limiter.tryAcquire(connection);

        assertThat(answers).containsOnly(0L);
        // One token a second: the next is at most a second away.
        assertThat(retryAfter).isPositive().isLessThanOrEqualTo(1_000);
    }

    @Test
    void given_empty_bucket_when_time_passes_then_tokens_refill() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(20, 2);
        limiter.tryAcquire(connection);
        limiter.tryAcquire(connection);
        assertThat(limiter.tryAcquire(connection)).isPositive();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> limiter.tryAcquire(connection) == 0);
    }

    @Test
    void given_empty_bucket_when_retry_after_has_passed_then_a_token_is_free() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(10, 1);
        limiter.tryAcquire(connection);
        long asked = System.nanoTime();
        long retryAfter = limiter.tryAcquire(connection);
        assertThat(retryAfter).isBetween(1L, 100L);

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> limiter.tryAcquire(connection) == 0);

        // Not before the retry-after it announced (which is rounded up to whole milliseconds).
        assertThat(Duration.ofNanos(System.nanoTime() - asked).toMillis()).isGreaterThanOrEqualTo(retryAfter - 2);
    }

    @Test
    void given_empty_bucket_when_forgotten_then_the_connection_starts_with_a_full_burst() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 3);
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(connection);
        }
        assertThat(limiter.tryAcquire(connection)).isPositive();

        limiter.forget(connection);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.tryAcquire(connection)).isZero();
        }
        assertThat(limiter.tryAcquire(connection)).isPositive();
    }

    @Test
    void given_one_connection_out_of_tokens_when_another_sends_then_it_is_allowed() {
        TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(1, 1);
        limiter.tryAcquire(connection);
        assertThat(limiter.tryAcquire(connection)).isPositive();

        assertThat(limiter.tryAcquire(ConnectionId.of("conn-2"))).isZero();
    }

    @Test
    void given_rate_or_burst_below_one_when_created_then_refused() {
        assertThatThrownBy(() -> new TokenBucketRateLimiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucketRateLimiter(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
