package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.parley.adapters.websocket.ConnectionRegistry;
import dev.parley.adapters.websocket.ParleyHttpServer;
import dev.parley.adapters.websocket.ParleyUseCases;
import dev.parley.adapters.websocket.ServerMetrics;
import dev.parley.adapters.websocket.ServerSettings;
import dev.parley.adapters.websocket.TokenBucketRateLimiter;
import dev.parley.adapters.websocket.auth.Authenticator;
import dev.parley.adapters.websocket.auth.InsecureDevAuthenticator;
import dev.parley.adapters.websocket.auth.JwtAuthenticator;
import dev.parley.adapters.websocket.frames.FrameEncoder;
import dev.parley.adapters.websocket.frames.Json;
import dev.parley.adapters.websocket.http.HealthCheck;
import dev.parley.adapters.websocket.http.OperatorUseCases;
import dev.parley.adapters.websocket.http.TlsFiles;
import dev.parley.application.port.out.AckTimings;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.service.ChatService;
import dev.parley.application.service.ConnectionService;
import dev.parley.application.service.LocalRooms;
import dev.parley.application.service.MembershipService;
import dev.parley.application.service.NodeService;
import dev.parley.application.service.RoomQueryService;
import dev.parley.application.service.TraceService;
import dev.parley.application.service.TypingService;
import dev.parley.application.service.UserConnectionsService;
import dev.parley.domain.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/** The WebSocket and HTTP adapter: the server, its codec, its connections (the {@link Delivery}). */
final class WebSocketModule extends AbstractModule {
    private final ParleyConfig config;

    WebSocketModule(ParleyConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        // Declared here so the set exists even when no adapter contributes a check.
        Multibinder.newSetBinder(binder(), HealthCheck.class);
    }

    @Provides
    @Singleton
    Json json(Limits limits) {
        return new Json(limits);
    }

    @Provides
    @Singleton
    FrameEncoder encoder(Json json, Clock clock) {
        return new FrameEncoder(json, clock);
    }

    @Provides
    @Singleton
    ServerMetrics metrics() {
        return new ServerMetrics();
    }

    @Provides
    @Singleton
    AckTimings acks(ServerMetrics metrics) {
        return metrics;
    }

    @Provides
    @Singleton
    ConnectionRegistry registry(FrameEncoder encoder, ServerMetrics metrics) {
        return new ConnectionRegistry(encoder, metrics);
    }

    /** Every front door's delivery; {@code /ws} is always one of them. */
    @Provides
    @Singleton
    FrontDoorDeliveries deliveries(ConnectionRegistry registry) {
        FrontDoorDeliveries deliveries = new FrontDoorDeliveries();
        deliveries.add(registry);
        return deliveries;
    }

    @Provides
    @Singleton
    Delivery delivery(FrontDoorDeliveries deliveries) {
        return deliveries;
    }

    @Provides
    @Singleton
    Authenticator authenticator(Clock clock) {
        if (config.jwtSecret().isPresent()) {
            return JwtAuthenticator.hs256(config.jwtSecret().get(), clock);
        }
        if (config.jwtPublicKey().isPresent()) {
            try {
                return JwtAuthenticator.publicKey(Files.readString(config.jwtPublicKey().get()), clock);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read PARLEY_JWT_PUBLIC_KEY " + config.jwtPublicKey().get(), e);
            }
        }
        return new InsecureDevAuthenticator();
    }

    @Provides
    @Singleton
    ServerSettings settings(Limits limits) {
        return new ServerSettings(config.host(), config.port(), config.nodeId(),
                config.heartbeatInterval().toMillis(), config.heartbeatTimeout().toMillis(),
                config.allowedOrigins(), config.adminKey(), config.maxConnections(), limits,
                ServerSettings.DEFAULT_MAX_FRAME_BYTES, config.outboundLimits(),
                config.tlsCert().map(cert -> new TlsFiles(cert, config.tlsKey().orElseThrow())));
    }

    @Provides
    @Singleton
    ParleyHttpServer server(ServerSettings settings, ParleyUseCases useCases,
                            Authenticator authenticator, Set<HealthCheck> checks, ConnectionRegistry registry,
                            Json json, ServerMetrics metrics, LocalRooms rooms, OperatorUseCases operator,
                            FrameEncoder encoder) {
        TokenBucketRateLimiter rateLimiter = new TokenBucketRateLimiter(config.ratePerSecond(), config.rateBurst());
        return new ParleyHttpServer(settings, useCases, rateLimiter, authenticator, List.copyOf(checks), registry,
                json, metrics, rooms::roomCount, operator, encoder);
    }

    @Provides
    @Singleton
    OperatorUseCases operator(NodeService nodes, RoomQueryService queries, UserConnectionsService users,
                              TraceService traces) {
        return new OperatorUseCases(nodes, queries, queries, users, users, traces);
    }

    @Provides
    @Singleton
    ParleyUseCases useCases(ConnectionService connections, MembershipService membership, ChatService chat,
                            TypingService typing, RoomQueryService queries) {
        return new ParleyUseCases(connections, connections, membership, membership, chat, typing, queries, queries,
                chat);
    }
}
