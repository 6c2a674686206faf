package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.util.concurrent.ScheduledFuture;

/**
 * The client's half of the heartbeat (docs/protocol.md section 8): a {@code ping} once nothing was
 * sent for the server's {@code intervalMs}, and the connection dropped when the answer is later
 * than {@code timeoutMs}. Loop thread only.
 */
final class Heartbeat {
    /** How a silent connection is dropped: as if it had closed with {@code code}. */
    interface Drop {
        void closed(long gen, int code, String reason);
    }

    private final Threads threads;
    private final Connection connection;
    private final Drop drop;
    private long intervalMs;
    private long timeoutMs;
    private long welcomedMillis;
    private String pingId;
    private long pingSentMillis;
    private ScheduledFuture<?> task;

    Heartbeat(Threads threads, Connection connection, Drop drop) {
        this.threads = threads;
        this.connection = connection;
        this.drop = drop;
    }

    /** Starts on a {@code welcome}, with its {@code heartbeat} settings. */
    void start(JsonNode settings) {
        intervalMs = settings.path("intervalMs").asLong(25_000);
        timeoutMs = settings.path("timeoutMs").asLong(20_000);
        welcomedMillis = Threads.now();
        pingId = null;
        long tick = Math.max(50, Math.min(1_000, Math.min(intervalMs, timeoutMs) / 4));
        long gen = connection.generation();
        task = threads.every(() -> tick(gen), tick);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
            task = null;
        }
        pingId = null;
    }

    /** True when {@code replyTo} answers the ping in flight, which is then answered. */
    boolean answered(String replyTo) {
        if (replyTo == null || !replyTo.equals(pingId)) {
            return false;
        }
        pingId = null;
        return true;
    }

    private void tick(long gen) {
        if (gen != connection.generation() || !connection.connected()) {
            return;
        }
        long now = Threads.now();
        // idle since the welcome or the last frame sent on this connection, whichever is later
        long lastSent = Math.max(welcomedMillis, connection.lastSentMillis());
        if (pingId != null && now - pingSentMillis > timeoutMs) {
            WebSocket dead = connection.socket();
            drop.closed(gen, 1006, "no pong within " + timeoutMs + " ms");
            if (dead != null) {
                dead.abort();
            }
        } else if (pingId == null && now - lastSent >= intervalMs) {
            pingId = Frames.newId();
            pingSentMillis = now;
            connection.send(Frames.ping(pingId));
        }
    }
}
