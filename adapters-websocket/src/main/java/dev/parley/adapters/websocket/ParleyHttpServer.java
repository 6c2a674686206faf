package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.auth.Authenticator;
import dev.parley.adapters.websocket.auth.OriginPolicy;
import dev.parley.adapters.websocket.frames.FrameDecoder;
import dev.parley.adapters.websocket.frames.FrameEncoder;
import dev.parley.adapters.websocket.frames.Json;
import dev.parley.adapters.websocket.http.HealthCheck;
import dev.parley.adapters.websocket.http.HttpApi;
import dev.parley.adapters.websocket.http.HttpListener;
import dev.parley.adapters.websocket.http.OperatorApi;
import dev.parley.adapters.websocket.http.OperatorUseCases;
import dev.parley.adapters.websocket.http.PemTls;
import dev.parley.adapters.websocket.http.SecurityHeaders;
import dev.parley.adapters.websocket.wire.WebSocketHandshake;
import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server on one port: {@code /ws}, {@code /health}, {@code /metrics}, {@code /api/*},
 * {@code /asyncapi.yaml}, the static browser client and the operator's page at {@code /admin},
 * every answer with the {@link SecurityHeaders}. {@link #drain} is the graceful way out.
 */
public final class ParleyHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(ParleyHttpServer.class);
    /** docs/asyncapi.yaml, which the build packs onto the classpath here. */
    private static final String ASYNCAPI_RESOURCE = "parley/asyncapi.yaml";

    private final ServerSettings settings;
    private final ConnectionRegistry registry;
    private final WebSocketEndpoint endpoint;
    private final PathHandler paths;
    private final HttpApi api;
    private final HttpHandler root;
    private final AtomicBoolean draining = new AtomicBoolean();
    private HttpListener listener;

    public ParleyHttpServer(ServerSettings settings, ParleyUseCases useCases, TokenBucketRateLimiter rateLimiter,
                            Authenticator authenticator, List<HealthCheck> healthChecks, ConnectionRegistry registry,
                            Json json, ServerMetrics metrics, IntSupplier localRooms, OperatorUseCases operator,
                            FrameEncoder encoder) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.endpoint = new WebSocketEndpoint(useCases, registry, new FrameDecoder(json, settings.limits()),
                rateLimiter, settings, metrics);
        metrics.bindGauges(registry::size, localRooms);
        HandshakeGate gate = new HandshakeGate(new WebSocketHandshake(endpoint, settings.maxFrameBytes()), authenticator,
                authenticator.verifiesIdentity() ? new OriginPolicy(settings.allowedOrigins()) : OriginPolicy.loopbackOnly(),
                useCases.connect(), useCases.disconnect(), registry,
                draining::get, registry::size, settings.maxConnections());
        this.api = new HttpApi(useCases.publish(), useCases.history(), useCases.presence(), json, settings.limits(),
                settings.adminKey(), healthChecks, draining::get, metrics::scrape);
        OperatorApi operatorApi = new OperatorApi(operator, encoder, json, settings.adminKey());
        HttpHandler staticFiles = new ResourceHandler(
                new ClassPathResourceManager(ParleyHttpServer.class.getClassLoader(), "public"))
                .setWelcomeFiles("index.html")
                .setDirectoryListingEnabled(false);
        this.paths = Handlers.path(staticFiles)
                .addExactPath("/ws", gate)
                .addExactPath("/admin", page("/admin.html", staticFiles))
                .addExactPath("/health", getOnly(api.health(), api))
                .addExactPath("/metrics", getOnly(api.metrics(), api))
                .addExactPath("/asyncapi.yaml", getOnly(yaml(ASYNCAPI_RESOURCE), api))
                .addPrefixPath("/api", Handlers.pathTemplate()
                        .add("/nodes", operatorApi.nodes())
                        .add("/rooms", operatorApi.rooms())
                        .add("/rooms/{room}", operatorApi.room())
                        .add("/rooms/{room}/messages", api.messages())
                        .add("/rooms/{room}/presence", api.presence())
                        .add("/rooms/{room}/trace", operatorApi.trace()))
                .addPrefixPath(OperatorApi.USERS_PATH, operatorApi.userConnections());
        this.root = new SecurityHeaders(paths);
    }

    /** One static page under a path of its own (it reads the API with the key the operator types). */
    private static HttpHandler page(String file, HttpHandler staticFiles) {
        return exchange -> {
            exchange.setRelativePath(file);
            staticFiles.handleRequest(exchange);
        };
    }

    private static HttpHandler getOnly(HttpHandler next, HttpApi api) {
        return exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                api.error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
                return;
            }
            next.handleRequest(exchange);
        };
    }

    /**
     * Serves another front door's handler under {@code prefix} on this port (before {@link #start}):
     * the server knows it only as an HTTP handler, behind the same security headers and head limits.
     */
    public synchronized ParleyHttpServer mount(String prefix, HttpHandler handler) {
        paths.addPrefixPath(prefix, handler);
        return this;
    }

    /**
     * Serves another front door's AsyncAPI document at {@code path} (before {@link #start}), as
     * {@code /asyncapi.yaml} is served: GET only, {@code application/yaml}, no key, the bytes of
     * the classpath resource {@code resource}, which must be there.
     */
    public synchronized ParleyHttpServer document(String path, String resource) {
        paths.addExactPath(path, getOnly(yaml(resource), api));
        return this;
    }

    /** A YAML document, byte for byte as packed; read once, so a missing one fails at start. */
    private static HttpHandler yaml(String resource) {
        byte[] yaml;
        try (InputStream in = ParleyHttpServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/yaml");
            exchange.getResponseSender().send(ByteBuffer.wrap(yaml));
        };
    }

    public synchronized ParleyHttpServer start() {
        listener = HttpListener.open(settings.host(), settings.port(), settings.tls().map(PemTls::context), root);
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return listener.address().getPort();
    }

    public boolean tls() {
        return settings.tls().isPresent();
    }

    public int openConnections() {
        return registry.size();
    }

    /**
     * Graceful stop: refuse new handshakes (503) and report DOWN, wait for requests in flight
     * to be answered, close every connection with 1001, then stop listening. Within {@code timeout}.
     */
    public synchronized void drain(Duration timeout) {
        if (listener == null) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        draining.set(true);
        waitUntil(() -> endpoint.inFlight() == 0, deadline - timeout.toNanos() / 2);
        Collection<Connection> open = registry.all();
        LOG.info("draining: closing {} connections with 1001 server shutting down", open.size());
        for (Connection connection : open) {
            connection.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        waitUntil(() -> registry.size() == 0, deadline);
        listener.close();
        listener = null;
        LOG.info("server stopped");
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, long deadlineNanos) {
        while (!condition.getAsBoolean() && System.nanoTime() < deadlineNanos) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
