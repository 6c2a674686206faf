package dev.parley.application.service;

import dev.parley.application.port.in.NodesOutcome;
import dev.parley.application.port.in.QueryNodesUseCase;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.AckTimings;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeReport;
import dev.parley.domain.NodeId;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * This node's figures, reported to the cluster's {@link NodeDirectory} every second once
 * started, and the list of every live node's. Rates are taken over the last 10 s of samples.
 */
public final class NodeService implements QueryNodesUseCase {
    private static final System.Logger LOG = System.getLogger(NodeService.class.getName());
    static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final long REPORT_EVERY_MILLIS = 1_000;

    private final NodeId node;
    private final Instant startedAt;
    private final Sessions sessions;
    private final LocalRooms rooms;
    private final NodeActivity activity;
    private final AckTimings acks;
    private final NodeDirectory directory;
    private final ScheduledExecutorService timer;
    /** Samples of the counters, oldest first, spanning at most the rate window. */
    private final Deque<Sample> samples = new ArrayDeque<>();
    private ScheduledFuture<?> reporting;
    private boolean reportFailing;

    private record Sample(long atNanos, long chats, long deliveries) {
    }

    public NodeService(NodeId node, Clock clock, Sessions sessions, LocalRooms rooms, NodeActivity activity,
                       AckTimings acks, NodeDirectory directory, ScheduledExecutorService timer) {
        this.node = Objects.requireNonNull(node, "node");
        this.startedAt = clock.instant();
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.activity = Objects.requireNonNull(activity, "activity");
        this.acks = Objects.requireNonNull(acks, "acks");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.timer = Objects.requireNonNull(timer, "timer");
        samples.addLast(new Sample(System.nanoTime(), activity.chats(), activity.deliveries()));
    }

    /** Reports now and every second from now on. */
    public synchronized void start() {
        if (reporting == null) {
            reporting = timer.scheduleAtFixedRate(this::report, 0, REPORT_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops reporting and takes this node off the list. */
    public CompletableFuture<Void> stop() {
        synchronized (this) {
            if (reporting != null) {
                reporting.cancel(false);
            }
        }
        return directory.forget(node);
    }

    @Override
    public CompletableFuture<NodesOutcome> nodes() {
        return directory.nodes().handle((nodes, failure) -> failure != null ? Unavailable.because(failure)
                : new NodesOutcome.Nodes(nodes.stream().sorted(Comparator.comparing(report -> report.node().value()))
                        .toList()));
    }

    /** This node's figures now. */
    synchronized NodeReport figures() {
        long now = System.nanoTime();
        Sample sample = new Sample(now, activity.chats(), activity.deliveries());
        samples.addLast(sample);
        while (samples.size() > 1 && now - samples.peekFirst().atNanos() > RATE_WINDOW.toNanos()) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double seconds = Math.max((now - first.atNanos()) / 1e9, 1.0);
        return new NodeReport(node, startedAt, sessions.size(), rooms.roomCount(),
                (sample.chats() - first.chats()) / seconds, (sample.deliveries() - first.deliveries()) / seconds,
                acks.lastMinute());
    }

    private void report() {
        try {
            directory.report(figures()).whenComplete((ignored, failure) -> logReport(failure));
        } catch (RuntimeException e) {
            logReport(e);
        }
    }

    /** Logs the first failure of a run of them and the recovery, not every second. */
    private synchronized void logReport(Throwable failure) {
        if (failure != null && !reportFailing) {
            LOG.log(Level.WARNING, "cannot report node " + node + " to the cluster; retrying every second: " + failure);
        } else if (failure == null && reportFailing) {
            LOG.log(Level.INFO, "node " + node + " reports to the cluster again");
        }
        reportFailing = failure != null;
    }
}
