package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.auth.Authenticator;
import dev.parley.adapters.websocket.auth.OriginPolicy;
import dev.parley.application.port.in.ConnectCommand;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.ConnectUseCase;
import dev.parley.application.port.in.DisconnectUseCase;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.ConnectionId;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a {@code /ws} handshake must pass before the upgrade, each refusal a plain HTTP
 * answer (docs/protocol.md section 1): 503 draining or full, 403 origin, 401 credentials, 429 too
 * many connections of the user.
 */
final class HandshakeGate implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGate.class);
    private final HttpHandler upgrade;
    private final Authenticator authenticator;
    private final OriginPolicy origins;
    private final ConnectUseCase connect;
    private final DisconnectUseCase disconnect;
    private final ConnectionRegistry registry;
    private final BooleanSupplier draining;
    private final IntSupplier openConnections;
    private final int maxConnections;

    HandshakeGate(HttpHandler upgrade, Authenticator authenticator, OriginPolicy origins, ConnectUseCase connect,
                  DisconnectUseCase disconnect, ConnectionRegistry registry, BooleanSupplier draining,
                  IntSupplier openConnections, int maxConnections) {
        this.upgrade = upgrade;
        this.authenticator = authenticator;
        this.origins = origins;
        this.connect = connect;
        this.disconnect = disconnect;
        this.registry = registry;
        this.draining = draining;
        this.openConnections = openConnections;
        this.maxConnections = maxConnections;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (draining.getAsBoolean()) {
            refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "server is draining; reconnect to another node");
            return;
        }
        if (openConnections.getAsInt() >= maxConnections) {
            refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "server is at its connection limit");
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst(Headers.ORIGIN);
        if (!origins.permits(origin, exchange.getRequestHeaders().getFirst(Headers.HOST))) {
            refuse(exchange, StatusCodes.FORBIDDEN, "origin not allowed");
            return;
        }
        Authenticator.Result result = authenticator.authenticate(token(exchange), query(exchange, "user"),
                query(exchange, "name"));
        if (result instanceof Authenticator.Rejected rejected) {
            refuse(exchange, StatusCodes.UNAUTHORIZED, rejected.reason());
            return;
        }
        Authenticator.Authenticated authenticated = (Authenticator.Authenticated) result;
        ConnectionId id = ConnectionId.random();
        CompletableFuture<ConnectOutcome> admitted = connect.connect(new ConnectCommand(id, authenticated.principal()));
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> admitted.whenComplete((outcome, failure) ->
                exchange.getIoThread().execute(() -> {
                    if (failure != null || outcome instanceof Unavailable) {
                        LOG.warn("cannot admit a connection of {}: {}", authenticated.principal().id(),
                                failure != null ? failure.toString() : ((Unavailable) outcome).cause());
                        refuse(exchange, StatusCodes.SERVICE_UNAVAILABLE, "presence store unavailable");
                    } else if (outcome instanceof ConnectOutcome.TooManyConnections) {
                        refuse(exchange, StatusCodes.TOO_MANY_REQUESTS, "too many connections for this user");
                    } else {
                        exchange.putAttachment(Admission.KEY,
                                new Admission(id, authenticated.principal(), authenticated.expiresAtMillis()));
                        releaseIfNeverConnected(exchange, id);
                        Connectors.executeRootHandler(upgrade, exchange);
                    }
                })));
    }

    /**
     * A handshake cut half-way never becomes a connection: give its user slot back as soon as
     * that is known. Refused or failed: at once. Otherwise when the socket ends without having
     * become a registered connection (a registered one is released by its own close task), which
     * also covers a socket reset before the 101 could be written, when the exchange never completes.
     */
    private void releaseIfNeverConnected(HttpServerExchange exchange, ConnectionId id) {
        exchange.getConnection().addCloseListener(closed -> {
            if (!registry.contains(id)) {
                disconnect.disconnect(id);
            }
        });
        exchange.addExchangeCompleteListener((done, next) -> {
            if (done.getStatusCode() != StatusCodes.SWITCHING_PROTOCOLS) {
                disconnect.disconnect(id);
            }
            next.proceed();
        });
    }

    private static Optional<String> token(HttpServerExchange exchange) {
        String authorization = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        return query(exchange, "token");
    }

    private static Optional<String> query(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    private static void refuse(HttpServerExchange exchange, int status, String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(reason + "\n");
    }
}
