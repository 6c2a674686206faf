package dev.parley.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the generator's clients observed, shared by all of them; lock-free on the hot path. */
final class LoadStats {
    private static final long MAX_TRACKED_NANOS = 60_000_000_000L;

    final Recorder delivery = new Recorder(MAX_TRACKED_NANOS, 3);
    final Recorder ack = new Recorder(MAX_TRACKED_NANOS, 3);
    final LongAdder delivered = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder acked = new LongAdder();
    final LongAdder errors = new LongAdder();
    final ConcurrentHashMap<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

    void delivered(long latencyNanos) {
        delivered.increment();
        delivery.recordValue(Math.min(Math.max(latencyNanos, 0), MAX_TRACKED_NANOS));
    }

    void acked(long latencyNanos) {
        acked.increment();
        ack.recordValue(Math.min(Math.max(latencyNanos, 0), MAX_TRACKED_NANOS));
    }

    void error(String code) {
        errors.increment();
        errorCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    void closed(int code) {
        closes.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Starts a new measuring interval: what was recorded before is dropped. */
    void reset() {
        delivery.getIntervalHistogram();
        ack.getIntervalHistogram();
    }

    Histogram deliveryInterval() {
        return delivery.getIntervalHistogram();
    }

    Histogram ackInterval() {
        return ack.getIntervalHistogram();
    }

    long closeCount() {
        return closes.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
