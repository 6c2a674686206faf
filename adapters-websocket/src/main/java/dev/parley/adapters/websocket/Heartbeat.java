package dev.parley.adapters.websocket;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * Pings a connection every interval and closes it at its own deadline, interval + timeout after
 * the last frame it sent (docs/protocol.md section 8). One timer per connection, set for
 * whichever comes first; it runs on the connection's IO thread.
 */
final class Heartbeat implements Runnable {
    private final Connection connection;
    private final long intervalMillis;
    private final long silenceMillis;
    private long nextPingAt;
    private volatile XnioExecutor.Key timer;
    private volatile boolean stopped;

    private Heartbeat(Connection connection, long intervalMillis, long timeoutMillis) {
        this.connection = connection;
        this.intervalMillis = intervalMillis;
        this.silenceMillis = intervalMillis + timeoutMillis;
    }

    static Heartbeat start(Connection connection, long intervalMillis, long timeoutMillis) {
        Heartbeat heartbeat = new Heartbeat(connection, intervalMillis, timeoutMillis);
        heartbeat.nextPingAt = System.currentTimeMillis() + intervalMillis;
        heartbeat.scheduleNext(System.currentTimeMillis());
        return heartbeat;
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - connection.lastSeenMillis() >= silenceMillis) {
            connection.drop(CloseCodes.GOING_AWAY, "heartbeat timeout");
            return;
        }
        if (now >= nextPingAt && !connection.isClosing()) {
            connection.socket().ping();
            nextPingAt = now + intervalMillis;
        }
        scheduleNext(now);
    }

    private void scheduleNext(long now) {
        long deadline = connection.lastSeenMillis() + silenceMillis;
        long delay = Math.max(1, Math.min(nextPingAt, deadline) - now);
        timer = connection.socket().ioThread().executeAfter(this, delay, TimeUnit.MILLISECONDS);
    }

    void stop() {
        stopped = true;
        XnioExecutor.Key current = timer;
        if (current != null) {
            current.remove();
        }
    }
}
