package dev.parley.application.port.out;

/** Percentiles of the time from a chat's arrival to its ack, in milliseconds. */
public record AckLatency(double p50Millis, double p99Millis) {
    public AckLatency {
        if (!(p50Millis >= 0) || !(p99Millis >= p50Millis)) {
            throw new IllegalArgumentException("percentiles must be ordered and not negative: " + p50Millis
                    + ", " + p99Millis);
        }
    }
}
