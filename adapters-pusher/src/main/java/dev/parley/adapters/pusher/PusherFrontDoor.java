package dev.parley.adapters.pusher;

import dev.parley.application.port.out.Delivery;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The Pusher protocol 7 front door, assembled: the socket endpoint ({@code /app/{key}}), the
 * signed HTTP API ({@code /apps/{id}/...}), and the {@link Delivery} of its sockets. The server
 * that listens mounts its two handlers on the same port as {@code /ws}.
 */
public final class PusherFrontDoor {
    /** Where the server serves this front door's AsyncAPI document, beside {@code /asyncapi.yaml}. */
    public static final String ASYNCAPI_PATH = "/asyncapi-pusher.yaml";
    /** docs/asyncapi-pusher.yaml, which the build packs onto the classpath here. */
    public static final String ASYNCAPI_RESOURCE = "parley/asyncapi-pusher.yaml";

    private final PusherSettings settings;
    private final PusherRegistry registry;
    private final PusherEndpoint endpoint;
    private final PusherHttpApi api;
    private final HttpHandler upgrade;
    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final int maxConnections;
    private final AtomicBoolean draining = new AtomicBoolean();

    public PusherFrontDoor(PusherSettings settings, PusherUseCases useCases, MeterRegistry meters, Clock clock,
                           int maxConnections) {
        this.settings = Objects.requireNonNull(settings, "settings");
        PusherFrames frames = new PusherFrames();
        PusherMetrics metrics = new PusherMetrics(meters);
        Signatures signatures = new Signatures(settings.key(), settings.secret());
        this.registry = new PusherRegistry(frames);
        this.endpoint = new PusherEndpoint(settings, useCases, registry, frames,
                new PusherRequests(signatures, useCases, frames, metrics), metrics);
        this.api = new PusherHttpApi(settings, signatures, useCases, frames, clock);
        this.upgrade = Handlers.websocket(endpoint);
        this.allowedOrigins = settings.allowedOrigins().stream().map(PusherFrontDoor::normalise)
                .collect(Collectors.toUnmodifiableSet());
        this.anyOrigin = settings.allowedOrigins().isEmpty() || settings.allowedOrigins().contains("*");
        this.maxConnections = maxConnections;
        metrics.bindConnections(registry::size);
    }

    /** {@code /app/{key}}: refusals before the upgrade are plain HTTP; key and protocol are checked after it. */
    public HttpHandler sockets() {
        return exchange -> {
            if (draining.get()) {
                refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "server is draining; reconnect to another node");
            } else if (registry.size() >= maxConnections) {
                refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "server is at its connection limit");
            } else if (!isAllowed(exchange.getRequestHeaders().getFirst(Headers.ORIGIN))) {
                refuse(exchange, StatusCodes.FORBIDDEN, "origin not allowed");
            } else {
                upgrade.handleRequest(exchange);
            }
        };
    }

    /** {@code /apps/{id}/...}, the HTTP API of the server SDKs. */
    public HttpHandler api() {
        return api;
    }

    public Delivery delivery() {
        return registry;
    }

    public int openConnections() {
        return registry.size();
    }

    public String appKey() {
        return settings.key();
    }

    /** Refuses new sockets and tells the open ones to reconnect at once, to another node (4200). */
    public void drain() {
        draining.set(true);
        endpoint.closeAll();
    }

    private boolean isAllowed(String origin) {
        return origin == null || anyOrigin || allowedOrigins.contains(normalise(origin));
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static void refuse(HttpServerExchange exchange, int status, String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(reason + "\n");
    }
}
