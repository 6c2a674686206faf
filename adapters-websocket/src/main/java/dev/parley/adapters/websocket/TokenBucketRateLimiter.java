package dev.parley.adapters.websocket;

import dev.parley.domain.ConnectionId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The frames a connection may send (docs/protocol.md section 7): a Bucket4j token bucket per
 * connection, {@code ratePerSecond} refilled greedily, bursts of {@code burst}. Answers at once.
 */
public final class TokenBucketRateLimiter {
    /** One limit for every bucket: a bucket keeps only its own tokens. */
    private final Bandwidth limit;
    private final ConcurrentHashMap<ConnectionId, Bucket> buckets = new ConcurrentHashMap<>();

    public TokenBucketRateLimiter(int ratePerSecond, int burst) {
        if (ratePerSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be at least 1");
        }
        this.limit = Bandwidth.builder().capacity(burst).refillGreedy(ratePerSecond, Duration.ofSeconds(1)).build();
    }

    /** Takes one token; 0 when allowed, otherwise the milliseconds until a token is free. */
    public long tryAcquire(ConnectionId connection) {
        ConsumptionProbe probe = buckets.computeIfAbsent(connection, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill() + 999_999));
    }

    /** The connection is gone: drop its bucket. */
    public void forget(ConnectionId connection) {
        buckets.remove(connection);
    }

    private Bucket newBucket() {
        return Bucket.builder().addLimit(limit).build();
    }
}
