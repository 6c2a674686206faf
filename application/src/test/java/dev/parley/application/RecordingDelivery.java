package dev.parley.application;

import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.DisconnectReason;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Delivery} that records what it is asked to send, per connection and in call order,
 * and, in the same line, the answers a test's stand-in for a driving adapter sends
 * ({@link #answered}), so that a test sees what a connection would: an answer, then the events
 * after it. Thread-safe: use cases call it from any thread, tests read it from theirs. A delivery
 * to several connections is recorded once per recipient, in the order of the recipients.
 */
public final class RecordingDelivery implements Delivery {

    /** One thing sent to one connection: a {@link RoomEvent}, or an answer (an outcome). */
    public record Delivered(ConnectionId connection, Object item) {
        public Delivered {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(item, "item");
        }
    }

    private final List<Delivered> delivered = new ArrayList<>();
    private int deliveries;

    @Override
    public synchronized void deliver(Collection<ConnectionId> recipients, RoomEvent event) {
        deliveries++;
        for (ConnectionId connection : recipients) {
            delivered.add(new Delivered(connection, event));
        }
    }

    /** Records the disconnect as the connection's last item. */
    @Override
    public synchronized void disconnect(ConnectionId connection, DisconnectReason reason) {
        delivered.add(new Delivered(connection, reason));
    }

    /** The stand-in adapter sent {@code answer} to the connection (before handing a join over, say). */
    public synchronized void answered(ConnectionId connection, Object answer) {
        delivered.add(new Delivered(connection, answer));
    }

    /** Everything one connection was sent, answers and events, in order. */
    public synchronized List<Object> to(ConnectionId connection) {
        List<Object> items = new ArrayList<>();
        for (Delivered entry : delivered) {
            if (entry.connection().equals(connection)) {
                items.add(entry.item());
            }
        }
        return items;
    }

    /** What one connection was sent of one kind, in order. */
    public <T> List<T> to(ConnectionId connection, Class<T> type) {
        List<T> items = new ArrayList<>();
        for (Object item : to(connection)) {
            if (type.isInstance(item)) {
                items.add(type.cast(item));
            }
        }
        return items;
    }

    /** The chat messages one connection was sent, in order. */
    public List<ChatMessage> chatsTo(ConnectionId connection) {
        List<ChatMessage> chats = new ArrayList<>();
        for (RoomEvent.Posted posted : to(connection, RoomEvent.Posted.class)) {
            chats.add(posted.message());
        }
        return chats;
    }

    /** The seqs of the chat messages one connection was sent, in order. */
    public List<Long> chatSeqsTo(ConnectionId connection) {
        List<Long> seqs = new ArrayList<>();
        for (ChatMessage chat : chatsTo(connection)) {
            seqs.add(chat.seq());
        }
        return seqs;
    }

    /** How many times {@link #deliver} was called. */
    public synchronized int deliveryCount() {
        return deliveries;
    }

    public synchronized void clear() {
        delivered.clear();
        deliveries = 0;
    }
}
