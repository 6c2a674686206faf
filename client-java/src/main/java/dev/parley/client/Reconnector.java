package dev.parley.client;

import dev.parley.domain.ReconnectSchedule;
import dev.parley.domain.User;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * The connection's life (docs/protocol.md section 9): connects, waits for {@code welcome},
 * reconnects after a loss as the {@link ReconnectSchedule} says, asks for a new token after 4001
 * or a 401, and stops for good after a final close code or {@code close()}. Loop thread only,
 * but for {@link #firstConnected()}.
 */
final class Reconnector implements Connection.Events {
    /** Normal closure, a binary frame (a bug), abuse, and an operator's disconnect (docs/protocol.md section 8). */
    private static final Set<Integer> FINAL_CLOSE_CODES = Set.of(1000, 1003, 1008, 4003);
    private static final int TOKEN_EXPIRED = 4001;

    private final Threads threads;
    private final Connection connection;
    private final Session session;
    private final Heartbeat heartbeat;
    private final ReconnectSchedule schedule;
    private final Supplier<? extends CompletionStage<String>> tokenRefresher;
    private final CompletableFuture<Void> firstConnected = new CompletableFuture<>();
    private String token;
    private Optional<User> me = Optional.empty();
    private ScheduledFuture<?> reconnectTask;

    Reconnector(Threads threads, Connection connection, Session session, ReconnectSchedule schedule,
                String token, Supplier<? extends CompletionStage<String>> tokenRefresher) {
        this.threads = threads;
        this.connection = connection;
        this.session = session;
        this.heartbeat = new Heartbeat(threads, connection, this::closed);
        this.schedule = schedule;
        this.token = token;
        this.tokenRefresher = tokenRefresher;
    }

    /** Completes on the first {@code welcome}; fails if the client closes for good before one. */
    CompletableFuture<Void> firstConnected() {
        return firstConnected;
    }

    Optional<User> user() {
        return me;
    }

    void start() {
        if (connection.state() == ConnectionState.IDLE) {
            open();
        }
    }

    /** The application's close: 1000, for good; {@code done} completes after the close handshake or 2 s. */
    void close(CompletableFuture<Void> done) {
        if (connection.state() == ConnectionState.CLOSED) {
            done.complete(null);
            return;
        }
        WebSocket open = connection.socket();
        finish(1000, "closed by the application");
        if (open == null) {
            done.complete(null);
        } else {
            open.sendClose(1000, "bye").whenComplete((ws, error) -> done.complete(null));
            threads.schedule(() -> {
                open.abort();
                done.complete(null);
            }, 2_000);
        }
    }

    private void open() {
        connection.nextGeneration();
        setState(ConnectionState.CONNECTING, 0, "", Duration.ZERO);
        connection.open(token, this);
    }

    @Override
    public void opened(long gen, WebSocket ws) {
        if (gen != connection.generation() || connection.state() != ConnectionState.CONNECTING) {
            ws.abort();
            return;
        }
        connection.attach(ws);
    }

    @Override
    public void handshakeDone(long gen, WebSocket ws, Throwable error) {
        if (error != null) {
            handshakeFailed(gen, error);
        } else if (gen != connection.generation() || connection.state() == ConnectionState.CLOSED) {
            ws.abort();
        }
    }

    private void handshakeFailed(long gen, Throwable error) {
        if (gen != connection.generation() || connection.state() != ConnectionState.CONNECTING) {
            return;
        }
        int status = Connection.handshakeStatus(error);
        if (status == 401) {
            tokenExpired(401, "handshake refused: 401 (token missing, invalid or expired)");
        } else if (status == 403) {
            finish(1008, "handshake refused: 403 (origin not allowed)");
        } else {
            String why = status > 0 ? "handshake refused: " + status
                    : "cannot connect: " + Connection.rootMessage(error);
            reconnectLater(1006, why);
        }
    }

    /** Takes {@code welcome} and the heartbeat's answers; hands every other frame to the session. */
    @Override
    public void text(long gen, String text) {
        if (gen != connection.generation() || connection.socket() == null) {
            return;
        }
        Frames.Inbound frame = Frames.parse(text).orElse(null);
        if (frame == null) {
            return; // not from a Parley server; nothing to do with it
        }
        switch (frame.type()) {
            case "welcome":
                if (connection.state() == ConnectionState.CONNECTING) {
                    welcomed(frame);
                }
                break;
            case "ack":
            case "error":
            case "pong":
                if (!heartbeat.answered(frame.replyTo())) {
                    session.frame(frame);
                }
                break;
            default:
                session.frame(frame);
        }
    }

    private void welcomed(Frames.Inbound welcome) {
        schedule.connected(Threads.now());
        me = Optional.of(Frames.user(welcome.payload().get("user")));
        heartbeat.start(welcome.payload().path("heartbeat"));
        setState(ConnectionState.CONNECTED, 0, "", Duration.ZERO);
        threads.onCallbacks(() -> firstConnected.complete(null));
        session.welcomed();
    }

    @Override
    public void closed(long gen, int code, String reason) {
        ConnectionState state = connection.state();
        if (gen != connection.generation()
                || (state != ConnectionState.CONNECTED && state != ConnectionState.CONNECTING)) {
            return;
        }
        drop();
        if (FINAL_CLOSE_CODES.contains(code)) {
            finish(code, reason.isEmpty() ? "closed by the server" : reason);
        } else if (code == TOKEN_EXPIRED) {
            tokenExpired(code, reason.isEmpty() ? "token expired" : reason);
        } else {
            reconnectLater(code, reason.isEmpty() ? "connection lost" : reason);
        }
    }

    /** Forgets the connection: the heartbeat stops and the session learns it is lost. */
    private void drop() {
        connection.detach();
        heartbeat.stop();
        session.dropped();
    }

    private void tokenExpired(int code, String reason) {
        if (connection.socket() != null) {
            drop();
        }
        if (tokenRefresher == null) {
            finish(code, reason + "; no token refresher configured");
            return;
        }
        long gen = connection.generation();
        setState(ConnectionState.RECONNECTING, code, reason + "; refreshing the token", Duration.ZERO);
        CompletionStage<String> fresh;
        try {
            fresh = tokenRefresher.get();
        } catch (RuntimeException e) {
            fresh = CompletableFuture.failedFuture(e);
        }
        fresh.whenComplete((newToken, error) -> threads.onLoop(() -> {
            if (gen != connection.generation() || connection.state() == ConnectionState.CLOSED) {
                return;
            }
            if (error == null && newToken != null) {
                token = newToken;
            }
            reconnectLater(code, error == null ? reason
                    : reason + "; token refresh failed: " + Connection.rootMessage(error));
        }));
    }

    private void reconnectLater(int code, String reason) {
        Duration wait = schedule.disconnected(Threads.now());
        setState(ConnectionState.RECONNECTING, code, reason, wait);
        long gen = connection.generation();
        reconnectTask = threads.schedule(() -> {
            if (gen == connection.generation() && connection.state() == ConnectionState.RECONNECTING) {
                open();
            }
        }, wait.toMillis());
    }

    /** Closed for good: everything still waiting fails. */
    private void finish(int code, String reason) {
        connection.nextGeneration();
        if (connection.socket() != null) {
            drop();
        }
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
        }
        ParleyException closed = new ParleyException("closed", reason + " (close code " + code + ")");
        session.finished(closed);
        setState(ConnectionState.CLOSED, code, reason, Duration.ZERO);
        threads.onCallbacks(() -> firstConnected.completeExceptionally(closed));
    }

    private void setState(ConnectionState next, int code, String reason, Duration retryIn) {
        connection.state(next);
        ConnectionEvent event = new ConnectionEvent(next, code, reason, retryIn, schedule.attempt());
        threads.emit(l -> l.onConnection(event));
    }
}
