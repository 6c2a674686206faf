package dev.parley.application.port.out;

import dev.parley.domain.NodeId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node tells the cluster about itself: since when it runs, its connections and the
 * rooms with a member on it, its rates over the last 10 s and its ack latency over the last minute.
 */
public record NodeReport(NodeId node, Instant startedAt, int connections, int rooms, double chatsPerSecond,
                         double deliveriesPerSecond, Optional<AckLatency> ack) {
    public NodeReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(ack, "ack");
        if (connections < 0 || rooms < 0 || chatsPerSecond < 0 || deliveriesPerSecond < 0) {
            throw new IllegalArgumentException("a node's counts and rates are not negative");
        }
    }
}
