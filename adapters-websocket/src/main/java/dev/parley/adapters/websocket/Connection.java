package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.IoUtils;

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
    private final WebSocketChannel channel;
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

    Connection(ConnectionId id, Principal principal, WebSocketChannel channel, IoThreadWrites writes,
               OutboundLimits limits, ServerMetrics metrics) {
        this.id = id;
        this.principal = principal;
        this.channel = channel;
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

    WebSocketChannel channel() {
        return channel;
    }

    void touch() {
        lastSeenMillis = System.currentTimeMillis();
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    /**
     * Queues one UTF-8 text frame; closes the connection with 1013 once it is too far behind.
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
        if (frames > limits.maxQueuedFrames() || total > limits.maxQueuedBytes()) {
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
     * Writes everything queued, on this connection's IO thread. A lone frame is written at
     * once. Several are held by Undertow until one explicit flush, so they leave in one
     * gathering write: under load a slow round batches more instead of costing more. (Holding
     * a lone frame would only add a listener hand-off per frame.)
     */
    void flush() {
        flushScheduled.set(false);
        ByteBuffer frame = outbox.poll();
        if (frame == null) {
            return;
        }
        // Frames queued before a close still go out, ahead of the close frame (the last error
        // before a 1008, say): the close is queued on this same IO thread after this flush.
        if (outbox.peek() == null) {
            write(frame);
            return;
        }
        channel.setRequireExplicitFlush(true);
        try {
            do {
                write(frame);
            } while ((frame = outbox.poll()) != null);
        } finally {
            channel.setRequireExplicitFlush(false);
            channel.flush();
        }
    }

    private void write(ByteBuffer frame) {
        WebSockets.sendText(frame.duplicate(), channel, new Sent(frame.remaining()));
    }

    private void sent(int bytes) {
        queuedFrames.decrementAndGet();
        queuedBytes.addAndGet(-bytes);
    }

    /** Releases a frame's share of the queue bound once Undertow has written it. */
    private final class Sent implements WebSocketCallback<Void> {
        private final int bytes;

        Sent(int bytes) {
            this.bytes = bytes;
        }

        @Override
        public void complete(WebSocketChannel channel, Void context) {
            sent(bytes);
        }

        @Override
        public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
            sent(bytes);
            IoUtils.safeClose(channel);
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
        channel.getIoThread().execute(() -> {
            WebSockets.sendClose(new CloseMessage(code, reason).toByteBuffer(), channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel channel, Void context) {
                    if (!awaitPeer) {
                        IoUtils.safeClose(channel);
                    }
                }

                @Override
                public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                    IoUtils.safeClose(channel);
                }
            });
            try {
                channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), CLOSE_GRACE_MILLIS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // The server is stopping: its IO threads close every socket anyway.
                IoUtils.safeClose(channel);
            }
        });
    }

    /** Undertow closed the connection with 1009 for a frame over the limit: record it as ours. */
    void closedByFrameLimit() {
        if (closing.compareAndSet(false, true)) {
            closeCode = CloseCodes.TOO_BIG;
            closeReason = "frame too large";
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
