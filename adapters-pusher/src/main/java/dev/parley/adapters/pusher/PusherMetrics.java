package dev.parley.adapters.pusher;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * This front door's share of Parley's metrics: the same meters as the {@code /ws} front door,
 * with {@code protocol="pusher"}. Event names are the clients' own, so frames are counted by
 * kind ({@code client-event}, {@code event}) rather than by name.
 */
final class PusherMetrics {
    private static final String PROTOCOL = "pusher";

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> framesIn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> framesOut = new ConcurrentHashMap<>();

    PusherMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void bindConnections(IntSupplier connections) {
        Gauge.builder("parley.connections", connections, IntSupplier::getAsInt).tag("protocol", PROTOCOL)
                .strongReference(true).register(registry);
    }

    void frameIn(String type) {
        framesIn.computeIfAbsent(kind(type), t -> Counter.builder("parley.frames.in").tag("type", t)
                .tag("protocol", PROTOCOL).register(registry)).increment();
    }

    void frameOut(String type) {
        framesOut.computeIfAbsent(kind(type), t -> Counter.builder("parley.frames.out").tag("type", t)
                .tag("protocol", PROTOCOL).register(registry)).increment();
    }

    private static String kind(String type) {
        if (type.startsWith("pusher:") || type.startsWith("pusher_internal:")) {
            return type.length() <= 40 ? type : "pusher:other";
        }
        return type.startsWith("client-") ? "client-event" : "event";
    }
}
