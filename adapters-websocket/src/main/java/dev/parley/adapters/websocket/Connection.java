package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import dev.parley.adapters.websocket.wire.WireSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open WebSocket: its bounded outbound queue, its error budget and its last sign of life.
 * Sends are safe from any thread and keep their order; past the queue bound the connection is closed with 1013
 * rather than slowing its rooms or growing memory.
 */
final class Connection {
    /** How long a close frame may take to be written before the socket is dropped. */
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    private final ConnectionId id;
    private final Principal principal;
    private final WireSocket socket;
    private final OutboundLimits limits;
    private final ServerMetrics metrics;
    private final ErrorBudget errorBudget = ErrorBudget.protocolDefault();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final IoThreadWrites writes;
    private final ConcurrentLinkedQueue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile long lastSeenMillis = System.currentTimeMillis();
    private volatile int closeCode = -1;
    private volatile String closeReason = "";

    Connection(ConnectionId id, Principal principal, WireSocket socket, IoThreadWrites writes,
               OutboundLimits limits, ServerMetrics metrics) {
        this.id = id;
        this.principal = principal;
        this.socket = socket;
        this.writes = writes;
        this.limits = limits;
        this.metrics = metrics;
    }

    ConnectionId id() {
        return id;
    }

    Principal principal() {
        return principal;
    }

    WireSocket socket() {
        return socket;
    }

    void touch() {
        lastSeenMillis = System.currentTimeMillis();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    /**
     * Queues one whole text frame ({@link WireSocket#textFrame}); closes the connection with 1013
     * once it is too far behind.
     * The socket write happens on the connection's own IO thread: a thread delivering to a
     * whole room only enqueues. {@code frame} may be shared by many connections and is not
     * changed: each write reads a duplicate of it.
     */
    void send(ByteBuffer frame) {
        if (closing.get()) {
            return;
        }
        int length = frame.remaining();
        int frames = queuedFrames.incrementAndGet();
        long total = queuedBytes.addAndGet(length);
        if (frames > limits.maxQueuedFrames() || total + socket.unwrittenBytes() > limits.maxQueuedBytes()) {
            queuedFrames.decrementAndGet();
            queuedBytes.addAndGet(-length);
            metrics.slowConsumerClosed();
            close(CloseCodes.TRY_AGAIN_LATER, "too far behind");
            return;
        }
        outbox.add(frame);
        if (flushScheduled.compareAndSet(false, true)) {
            writes.schedule(this);
        }
    }

    /**
     * Hands everything queued to the socket, on this connection's IO thread, and writes it: one
     * gathering write for however many frames queued since the last round, so that under load a
     * slow round batches more instead of costing more. Frames queued before a close still go
     * out, ahead of the close frame (the last error before a 1008, say).
     */
    void flush() {
        flushScheduled.set(false);
        int frames = 0;
        long bytes = 0;
        ByteBuffer frame;
        while ((frame = outbox.poll()) != null) {
            socket.send(frame);
            frames++;
            bytes += frame.remaining();
        }
        if (frames > 0) {
            // From here the socket's unwritten bytes count towards the bound.
            queuedFrames.addAndGet(-frames);
            queuedBytes.addAndGet(-bytes);
            socket.flush();
        }
    }

    /** Counts an error sent to this connection; true when it has now sent too many. */
    synchronized boolean spendError(ErrorCode code) {
        return errorBudget.spend(code, System.currentTimeMillis());
    }

    /**
     * Sends a close frame and drops the socket if the peer's close does not come back within 5 s
     * (or the frame cannot even be written). Never calls back into the application on this thread.
     */
    void close(int code, String reason) {
        close(code, reason, true);
    }

    /**
     * Sends a close frame to a peer taken for gone and drops the socket as soon as the frame is
     * written: the connection ends now, not after a close handshake that will not come.
     */
    void drop(int code, String reason) {
        close(code, reason, false);
    }

    private void close(int code, String reason, boolean awaitPeer) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        try {
            socket.ioThread().execute(() -> {
                flush();
                socket.close(code, reason, !awaitPeer);
                socket.ioThread().executeAfter(socket::abort, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            });
        } catch (RejectedExecutionException stopping) {
            // The server is stopping: its IO threads close every socket anyway.
            socket.abort();
        }
    }

    boolean isClosing() {
        return closing.get();
    }

    /** The code this side closed with, or -1 when the peer closed first. */
    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }
}
