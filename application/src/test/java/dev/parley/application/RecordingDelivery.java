package dev.parley.application;

import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.RequestId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Delivery} that records what it is asked to send, per connection and in call order.
 * Thread-safe: use cases call it from any thread, tests read it from theirs. A broadcast is
 * recorded once per recipient, in the order of the recipient collection.
 */
public final class RecordingDelivery implements Delivery {

    /** One message queued for one connection. */
    public record Delivered(ConnectionId connection, ServerMessage message) {
        public Delivered {
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(message, "message");
        }
    }

    private final List<Delivered> delivered = new ArrayList<>();
    private int broadcasts;

    @Override
    public synchronized void send(ConnectionId connection, ServerMessage message) {
        delivered.add(new Delivered(connection, message));
    }

    @Override
    public synchronized void broadcast(Collection<ConnectionId> connections, ServerMessage message) {
        broadcasts++;
        for (ConnectionId connection : connections) {
            delivered.add(new Delivered(connection, message));
        }
    }

    /** Everything recorded so far, in call order. */
    public synchronized List<Delivered> all() {
        return List.copyOf(delivered);
    }

    /** What one connection was sent, in order. */
    public synchronized List<ServerMessage> to(ConnectionId connection) {
        List<ServerMessage> messages = new ArrayList<>();
        for (Delivered entry : delivered) {
            if (entry.connection().equals(connection)) {
                messages.add(entry.message());
            }
        }
        return messages;
    }

    /** What one connection was sent of one kind, in order. */
    public <T extends ServerMessage> List<T> to(ConnectionId connection, Class<T> type) {
        List<T> messages = new ArrayList<>();
        for (ServerMessage message : to(connection)) {
            if (type.isInstance(message)) {
                messages.add(type.cast(message));
            }
        }
        return messages;
    }

    /** The chat messages one connection was sent, in order. */
    public List<ChatMessage> chatsTo(ConnectionId connection) {
        List<ChatMessage> chats = new ArrayList<>();
        for (ServerMessage.Chat chat : to(connection, ServerMessage.Chat.class)) {
            chats.add(chat.message());
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

    /** The replies (ack, error, pong) to one request of one connection, in order. */
    public List<ServerMessage> repliesTo(ConnectionId connection, RequestId requestId) {
        List<ServerMessage> replies = new ArrayList<>();
        for (ServerMessage message : to(connection)) {
            if (requestId.equals(replyToOf(message).orElse(null))) {
                replies.add(message);
            }
        }
        return replies;
    }

    /** The ack of one request, if it was acknowledged. */
    public Optional<ServerMessage.Ack> ackTo(ConnectionId connection, RequestId requestId) {
        for (ServerMessage message : repliesTo(connection, requestId)) {
            if (message instanceof ServerMessage.Ack ack) {
                return Optional.of(ack);
            }
        }
        return Optional.empty();
    }

    /** The error answering one request, if it was refused. */
    public Optional<ServerMessage.Error> errorTo(ConnectionId connection, RequestId requestId) {
        for (ServerMessage message : repliesTo(connection, requestId)) {
            if (message instanceof ServerMessage.Error error) {
                return Optional.of(error);
            }
        }
        return Optional.empty();
    }

    /** How many times {@link #broadcast} was called. */
    public synchronized int broadcastCount() {
        return broadcasts;
    }

    public synchronized void clear() {
        delivered.clear();
        broadcasts = 0;
    }

    private static Optional<RequestId> replyToOf(ServerMessage message) {
        if (message instanceof ServerMessage.Ack ack) {
            return Optional.of(ack.replyTo());
        }
        if (message instanceof ServerMessage.Error error) {
            return error.replyTo();
        }
        if (message instanceof ServerMessage.Pong pong) {
            return Optional.of(pong.replyTo());
        }
        return Optional.empty();
    }
}
