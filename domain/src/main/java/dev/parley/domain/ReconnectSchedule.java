package dev.parley.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A client's reconnect attempts: each failure waits longer (see {@link Backoff}); a
 * connection that stayed up for {@code stablePeriod} resets the count. Not thread-safe.
 */
public final class ReconnectSchedule {
    public static final Duration PROTOCOL_STABLE_PERIOD = Duration.ofSeconds(10);

    private final Backoff backoff;
    private final Duration stablePeriod;
    private final RandomGenerator random;
    private int attempt;
    private long connectedAtMillis = -1;

    public ReconnectSchedule(Backoff backoff, Duration stablePeriod, RandomGenerator random) {
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.stablePeriod = Objects.requireNonNull(stablePeriod, "stablePeriod");
        this.random = Objects.requireNonNull(random, "random");
    }

    public static ReconnectSchedule protocolDefault(RandomGenerator random) {
        return new ReconnectSchedule(Backoff.PROTOCOL_DEFAULT, PROTOCOL_STABLE_PERIOD, random);
    }

    public void connected(long nowMillis) {
        connectedAtMillis = nowMillis;
    }

    /** The connection was lost (or an attempt failed); returns how long to wait before the next attempt. */
    public Duration disconnected(long nowMillis) {
        if (connectedAtMillis >= 0 && nowMillis - connectedAtMillis >= stablePeriod.toMillis()) {
            attempt = 0;
        }
        connectedAtMillis = -1;
        Duration wait = backoff.delay(attempt, random);
        if (attempt < 62) {
            attempt++;
        }
        return wait;
    }

    /** How many attempts have failed since the last reset. */
    public int attempt() {
        return attempt;
    }
}
