package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.parley.application.port.out.AckLatency;
import dev.parley.application.port.out.AckTimings;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics: connections, rooms, frames, ack latency, errors, closes, JVM;
 * and the ack latency of the last minute for the operator's node list.
 */
public final class ServerMetrics implements AckTimings {
    private static final Duration ACK_WINDOW = Duration.ofSeconds(60);

    /** This front door's value of the {@code protocol} tag its per-connection meters carry. */
    private static final String PROTOCOL = "parley";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ErrorCode, Counter> errors = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, Counter> closes = new ConcurrentHashMap<>();
    private final Timer ackLatency;
    private final Counter slowConsumerCloses;
    private final Counter abuseCloses;
    private final Counter rateLimited;
    /** When the last ack was timed ({@link System#nanoTime}), 0 before the first. */
    private volatile long lastAckNanos;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        ackLatency = Timer.builder("parley.chat.ack.latency")
                .description("Time from receiving a chat frame to queuing its ack")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                // The percentiles (not the histogram's buckets) cover a rolling minute, in 6 steps of 10 s.
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(ACK_WINDOW)
                .distributionStatisticBufferLength(6)
                .register(registry);
        slowConsumerCloses = Counter.builder("parley.closes.slow.consumer")
                .description("Connections closed with 1013 for falling behind").register(registry);
        abuseCloses = Counter.builder("parley.closes.abuse")
                .description("Connections closed with 1008 for too many errors").register(registry);
        rateLimited = Counter.builder("parley.rate.limited")
                .description("Frames answered rate_limited").register(registry);
    }

    /**
     * Gauges of the open connections and the rooms with local members. Micrometer holds a
     * gauge's state object weakly by default; these suppliers are method references nobody
     * else keeps, so they are held strongly, or the gauges would read NaN after the next GC.
     */
    void bindGauges(IntSupplier connections, IntSupplier rooms) {
        Gauge.builder("parley.connections", connections, IntSupplier::getAsInt).tag("protocol", PROTOCOL)
                .strongReference(true).register(registry);
        Gauge.builder("parley.rooms", rooms, IntSupplier::getAsInt).strongReference(true).register(registry);
    }

    /** The registry every front door of this node counts in, each with its own {@code protocol} tag. */
    public MeterRegistry registry() {
        return registry;
    }

    String scrape() {
        return registry.scrape();
    }

    void frameIn(String type) {
        framesIn.computeIfAbsent(type, t -> Counter.builder("parley.frames.in").tag("type", t)
                .tag("protocol", PROTOCOL).register(registry)).increment();
    }

    void frameOut(String type, int count) {
        framesOut.computeIfAbsent(type, t -> Counter.builder("parley.frames.out").tag("type", t)
                .tag("protocol", PROTOCOL).register(registry)).increment(count);
    }

    void error(ErrorCode code) {
        errors.computeIfAbsent(code, c -> Counter.builder("parley.errors").tag("code", c.wireName()).register(registry))
                .increment();
        if (code == ErrorCode.RATE_LIMITED) {
            rateLimited.increment();
        }
    }

    void ackLatency(long nanos) {
        ackLatency.record(Duration.ofNanos(nanos));
        lastAckNanos = System.nanoTime();
    }

    @Override
    public Optional<AckLatency> lastMinute() {
        if (lastAckNanos == 0 || System.nanoTime() - lastAckNanos > ACK_WINDOW.toNanos()) {
            return Optional.empty();
        }
        double p50 = 0;
        double p99 = 0;
        for (ValueAtPercentile value : ackLatency.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.5) {
                p50 = value.value(TimeUnit.MILLISECONDS);
            } else if (value.percentile() == 0.99) {
                p99 = value.value(TimeUnit.MILLISECONDS);
            }
        }
        return Optional.of(new AckLatency(p50, Math.max(p50, p99)));
    }

    /** A connection ended with this close code (1006 when it dropped without a close frame). */
    void closed(int code) {
        closes.computeIfAbsent(code, c -> Counter.builder("parley.closes").tag("code", Integer.toString(c))
                .description("Connections ended, by close code").register(registry)).increment();
    }

    void slowConsumerClosed() {
        slowConsumerCloses.increment();
    }

    void abuseClosed() {
        abuseCloses.increment();
    }
}
