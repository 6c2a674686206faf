package dev.parley.adapters.websocket.wire;

import io.undertow.conduits.ReadDataStreamSourceConduit;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One WebSocket on an upgraded connection. Client frames are read on the connection's IO thread
 * into that thread's buffer and handed to the {@link Handler}; server frames are queued on the IO
 * thread and leave with one gathering write per {@link #flush}. Pings are answered, a close is
 * answered and the socket closed once the answer is out.
 *
 * <p>Idle, a socket holds its connection, its reader (three fields) and a few flags: no buffer of
 * its own until a frame arrives in pieces or a write cannot finish at once.
 */
public final class WireSocket implements FrameReader.Listener {

    /** What happens on a socket, called on its IO thread. */
    public interface Handler {
        void onText(String text);

        void onBinary();

        /** A ping or a pong: the peer is alive. */
        void onActivity();

        /** The peer's close frame (code 1005 when it gave none); the socket answers and closes. */
        void onPeerClose(int code, String reason);

        /** The peer broke the protocol; nothing more is read, the handler closes with {@code code}. */
        void onProtocolError(int code, String reason);

        /** The socket is closed, whatever the cause; called once. */
        void onClosed();
    }

    /** A gathering write takes at most this many buffers (the kernel's iovec limit is 1,024). */
    private static final int MAX_BUFFERS_PER_WRITE = 512;

    private final StreamConnection connection;
    private final ConduitStreamSourceChannel source;
    private final ConduitStreamSinkChannel sink;
    private final FrameReader reader;
    private final ThreadLocal<ByteBuffer> readBuffers;
    private final AtomicBoolean closedOnce = new AtomicBoolean();
    private Handler handler;
    /** Frames (headers and payloads) not written yet; null when everything is out. IO thread only. */
    private ArrayDeque<ByteBuffer> unwritten;
    private volatile long unwrittenBytes;
    private boolean closeSent;
    private boolean closeReceived;
    private boolean abortWhenWritten;

    WireSocket(StreamConnection connection, int maxMessageBytes, ThreadLocal<ByteBuffer> readBuffers) {
        this.connection = connection;
        this.source = connection.getSourceChannel();
        this.sink = connection.getSinkChannel();
        this.reader = new FrameReader(maxMessageBytes);
        this.readBuffers = readBuffers;
    }

    /** Starts reading; from now on {@code handler} hears what happens. Call on the IO thread. */
    public void start(Handler handler) {
        this.handler = handler;
        ChannelListener<StreamConnection> closed = gone -> {
            if (closedOnce.compareAndSet(false, true)) {
                handler.onClosed();
            }
        };
        // Undertow's HTTP connection (with its exchange, parser and conduits, about 900 bytes) is
        // the socket's close listener, and XNIO adds close listeners, never replaces them: it would
        // stay reachable for the life of the socket. Unless it still holds bytes read ahead of the
        // upgrade (frames right behind the handshake), nothing of it is needed any more: its
        // listener runs now and ours takes its place.
        ChannelListener<? super StreamConnection> http = connection.getCloseListener();
        boolean readAhead = source.getConduit() instanceof ReadDataStreamSourceConduit;
        if (!readAhead && CloseListenerSlot.replace(connection, http, closed)) {
            ChannelListeners.invokeChannelListener(connection, http);
        } else {
            connection.setCloseListener(closed); // runs after Undertow's, or at once if already closed
        }
        source.getReadSetter().set(channel -> readable());
        sink.getWriteSetter().set(channel -> flush());
        source.resumeReads();
    }

    public XnioIoThread ioThread() {
        return connection.getIoThread();
    }

    public SocketAddress peerAddress() {
        return connection.getPeerAddress();
    }

    /** Bytes queued on this socket and not written yet; readable from any thread. */
    public long unwrittenBytes() {
        return unwrittenBytes;
    }

    // ---- writing (IO thread) --------------------------------------------------------------------

    /**
     * A whole text frame (header and {@code utf8}) to hand to {@link #send} on any number of
     * sockets: built once per message, not once per recipient. Off-heap when many sockets write
     * it (a heap buffer is copied to a temporary direct one at every write). Read-only.
     */
    public static ByteBuffer textFrame(byte[] utf8, boolean offHeap) {
        ByteBuffer header = FrameHeader.of(FrameReader.TEXT, utf8.length);
        int length = header.remaining() + utf8.length;
        ByteBuffer frame = offHeap ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        return frame.put(header).put(utf8).flip().asReadOnlyBuffer();
    }

    /** Queues a frame from {@link #textFrame} (not changed: a duplicate is written). */
    public void send(ByteBuffer frame) {
        if (!closeSent) {
            enqueue(frame.duplicate());
        }
    }

    public void ping() {
        if (!closeSent) {
            enqueue(FrameHeader.of(FrameReader.PING, 0));
            flush();
        }
    }

    /**
     * Queues a close frame behind what is queued and writes them. {@code thenClose}: close the
     * socket once it is written, without waiting for the peer's answer (it closes anyway when
     * the peer's close comes).
     */
    public void close(int code, String reason, boolean thenClose) {
        if (closeSent) {
            return;
        }
        closeSent = true;
        abortWhenWritten = thenClose || closeReceived;
        ByteBuffer payload = FrameHeader.closePayload(code, reason);
        enqueue(FrameHeader.of(FrameReader.CLOSE, payload.remaining()), payload);
        flush();
    }

    /** Closes the socket now, whatever is queued. Any thread. */
    public void abort() {
        IoUtils.safeClose(connection);
    }

    private void enqueue(ByteBuffer frame) {
        if (unwritten == null) {
            unwritten = new ArrayDeque<>();
        }
        unwritten.add(frame);
        unwrittenBytes += frame.remaining();
    }

    private void enqueue(ByteBuffer header, ByteBuffer payload) {
        enqueue(header);
        enqueue(payload);
    }

    /** Writes what is queued, as much as the socket takes now; the rest when it is writable again. */
    public void flush() {
        if (unwritten == null) {
            return;
        }
        try {
            while (!unwritten.isEmpty()) {
                ByteBuffer[] buffers = new ByteBuffer[Math.min(unwritten.size(), MAX_BUFFERS_PER_WRITE)];
                Iterator<ByteBuffer> queued = unwritten.iterator();
                for (int i = 0; i < buffers.length; i++) {
                    buffers[i] = queued.next();
                }
                long written = sink.write(buffers);
                unwrittenBytes -= written;
                while (!unwritten.isEmpty() && !unwritten.peekFirst().hasRemaining()) {
                    unwritten.pollFirst();
                }
                if (written == 0) {
                    break;
                }
            }
            if (!unwritten.isEmpty() || !sink.flush()) {
                sink.resumeWrites();
                return;
            }
            unwritten = null;
            sink.suspendWrites();
            if (closeSent && abortWhenWritten) {
                abort();
            }
        } catch (IOException e) {
            abort();
        }
    }

    // ---- reading (IO thread) ----------------------------------------------------------------------

    private void readable() {
        ByteBuffer buffer = readBuffers.get();
        try {
            while (true) {
                buffer.clear();
                reader.restoreIncomplete(buffer);
                int read = source.read(buffer);
                if (read < 0) {
                    abort(); // gone without a close frame
                    return;
                }
                buffer.flip();
                reader.read(buffer, this);
                if (reader.isDone()) {
                    source.suspendReads();
                    return;
                }
                if (read == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            abort();
        }
    }

    @Override
    public void onText(String text) {
        handler.onText(text);
    }

    @Override
    public void onBinary() {
        handler.onBinary();
    }

    @Override
    public void onPing(ByteBuffer payload) {
        handler.onActivity();
        if (!closeSent) {
            ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
            enqueue(FrameHeader.of(FrameReader.PONG, copy.remaining()), copy);
            flush();
        }
    }

    @Override
    public void onPong() {
        handler.onActivity();
    }

    @Override
    public void onClose(int code, String reason) {
        closeReceived = true;
        handler.onPeerClose(code, reason);
        if (closeSent) {
            abortWhenWritten = true;
            if (unwritten == null) {
                abort();
            }
        } else {
            close(code == FrameReader.NO_STATUS ? 1000 : code, "", true);
        }
    }

    @Override
    public void onError(int code, String reason) {
        handler.onProtocolError(code, reason);
    }
}
