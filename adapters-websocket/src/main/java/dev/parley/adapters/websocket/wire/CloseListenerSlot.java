package dev.parley.adapters.websocket.wire;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.StreamConnection;

/**
 * Replaces a connection's close listener. XNIO's {@link StreamConnection#setCloseListener} merges
 * the new listener with the old one and offers no way to drop the old, so this reaches the field
 * behind it (XNIO 3.8). Where that field is not found, nothing is replaced and the caller falls
 * back to merging: the same behaviour, with more memory kept per socket.
 */
final class CloseListenerSlot {
    private static final Logger LOG = LoggerFactory.getLogger(CloseListenerSlot.class);
    private static final Field FIELD = find();

    private CloseListenerSlot() {
    }

    /**
     * Puts {@code replacement} in place of {@code expected} unless the listener changed or already
     * ran (the connection closed); true when it did.
     */
    @SuppressWarnings("unchecked")
    static boolean replace(StreamConnection connection, ChannelListener<? super StreamConnection> expected,
                           ChannelListener<? super StreamConnection> replacement) {
        if (FIELD == null || expected == null) {
            return false;
        }
        try {
            return ((AtomicReference<Object>) FIELD.get(connection)).compareAndSet(expected, replacement);
        } catch (IllegalAccessException | ClassCastException e) {
            return false;
        }
    }

    private static Field find() {
        try {
            Field field = StreamConnection.class.getDeclaredField("closeListener");
            if (field.getType() != AtomicReference.class) {
                throw new NoSuchFieldException("closeListener is a " + field.getType());
            }
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException | RuntimeException e) {
            LOG.info("this XNIO keeps its close listener elsewhere ({}): each WebSocket keeps its HTTP connection", e.toString());
            return null;
        }
    }
}
