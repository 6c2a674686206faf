package dev.parley.adapters.memory;

import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeReport;
import dev.parley.domain.NodeId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The node list of a single node, in memory: a report is kept for {@code ttl}. Thread-safe; answers at once. */
public final class InMemoryNodeDirectory implements NodeDirectory {
    private final Clock clock;
    private final Duration ttl;
    private final Map<NodeId, Kept> reports = new HashMap<>();

    private record Kept(NodeReport report, Instant until) {
    }

    public InMemoryNodeDirectory(Clock clock, Duration ttl) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
    }

    @Override
    public synchronized CompletableFuture<Void> report(NodeReport report) {
        reports.put(report.node(), new Kept(report, clock.instant().plus(ttl)));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<Void> forget(NodeId node) {
        reports.remove(node);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<List<NodeReport>> nodes() {
        Instant now = clock.instant();
        List<NodeReport> live = new ArrayList<>(reports.size());
        for (Iterator<Kept> kept = reports.values().iterator(); kept.hasNext(); ) {
            Kept next = kept.next();
            if (next.until().isAfter(now)) {
                live.add(next.report());
            } else {
                kept.remove();
            }
        }
        return CompletableFuture.completedFuture(live);
    }
}
