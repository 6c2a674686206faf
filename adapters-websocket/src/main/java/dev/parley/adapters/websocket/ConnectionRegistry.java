package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.FrameEncoder;
import dev.parley.adapters.websocket.wire.WireSocket;
import dev.parley.adapters.websocket.frames.ServerMessage;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.DisconnectReason;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.XnioIoThread;

/**
 * This node's open WebSockets, and the {@link Delivery} port over them: a room event is encoded
 * once, whatever the number of recipients. Errors sent to a connection are counted against its
 * budget; past it the connection is closed with 1008.
 */
public final class ConnectionRegistry implements Delivery {
    /**
     * From this many recipients a broadcast frame is copied off-heap once: every socket write
     * of a heap buffer copies it to a temporary direct buffer first. Below it, the direct
     * buffer's allocation and its cleaner would cost more than the copies they save.
     */
    private static final int OFF_HEAP_RECIPIENTS = 32;

    private final ConcurrentHashMap<ConnectionId, Connection> connections = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<XnioIoThread, IoThreadWrites> writesByThread = new ConcurrentHashMap<>();
    private final FrameEncoder encoder;
    private final ServerMetrics metrics;

    public ConnectionRegistry(FrameEncoder encoder, ServerMetrics metrics) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** The write batches of {@code thread}, shared by all its connections. */
    IoThreadWrites writesOf(XnioIoThread thread) {
        return writesByThread.computeIfAbsent(thread, IoThreadWrites::new);
    }

    void add(Connection connection) {
        connections.put(connection.id(), connection);
    }

    void remove(ConnectionId id) {
        connections.remove(id);
    }

    boolean contains(ConnectionId id) {
        return connections.containsKey(id);
    }

    int size() {
        return connections.size();
    }

    Collection<Connection> all() {
        return List.copyOf(connections.values());
    }

    /** Sends one frame to one connection (an answer, a welcome). */
    void send(ConnectionId id, ServerMessage message) {
        Connection connection = connections.get(id);
        if (connection == null) {
            return;
        }
        connection.send(WireSocket.textFrame(encoder.encode(message).getBytes(StandardCharsets.UTF_8), false));
        metrics.frameOut(FrameEncoder.typeOf(message), 1);
        if (message instanceof ServerMessage.Error error) {
            metrics.error(error.code());
            if (connection.spendError(error.code())) {
                metrics.abuseClosed();
                connection.close(CloseCodes.POLICY_VIOLATION, "too many errors");
            }
        }
    }

    /**
     * Sends a room event to those of the recipients that are this front door's connections (a
     * room may have members on other front doors); nothing is encoded when none is. The
     * {@code /ws} wire has no frame for a broadcast event: it passes rooms of other front doors.
     */
    @Override
    public void deliver(Collection<ConnectionId> ids, RoomEvent event) {
        if (event instanceof RoomEvent.Broadcast) {
            return;
        }
        List<Connection> recipients = new ArrayList<>(ids.size());
        for (ConnectionId id : ids) {
            Connection connection = connections.get(id);
            if (connection != null) {
                recipients.add(connection);
            }
        }
        if (recipients.isEmpty()) {
            return;
        }
        ServerMessage message = ServerMessage.of(event);
        ByteBuffer frame = WireSocket.textFrame(encoder.encode(message).getBytes(StandardCharsets.UTF_8),
                recipients.size() >= OFF_HEAP_RECIPIENTS);
        for (Connection connection : recipients) {
            connection.send(frame);
        }
        metrics.frameOut(FrameEncoder.typeOf(message), recipients.size());
    }

    /** An operator ended the connection: 4003, and the clients do not come back. */
    @Override
    public void disconnect(ConnectionId id, DisconnectReason reason) {
        Connection connection = connections.get(id);
        if (connection != null) {
            connection.close(CloseCodes.DISCONNECTED_BY_OPERATOR, "disconnected by an operator");
        }
    }
}
