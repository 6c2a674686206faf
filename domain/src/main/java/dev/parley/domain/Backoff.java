package dev.parley.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (docs/protocol.md section 9): the n-th retry waits a
 * uniformly random time in {@code [0, min(cap, base * factor^n)]}.
 */
public record Backoff(Duration base, double factor, Duration cap) {
    public static final Backoff PROTOCOL_DEFAULT = new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(30));

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base must be positive");
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number >= 1");
        }
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("cap must be at least base");
        }
    }

    /** The longest the given retry (0 for the first) may wait. */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0");
        }
        double millis = base.toMillis() * Math.pow(factor, attempt);
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    /** The wait before the given retry: full jitter over {@link #ceiling(int)}. */
    public Duration delay(int attempt, RandomGenerator random) {
        long ceiling = ceiling(attempt).toMillis();
        return Duration.ofMillis(random.nextLong(ceiling + 1));
    }
}
