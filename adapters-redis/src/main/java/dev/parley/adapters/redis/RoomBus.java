package dev.parley.adapters.redis;

import dev.parley.domain.RoomName;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Redis side of {@link RedisFanOut}: the subscriber connections that hear the rooms this
 * node listens to, and the sending of events. {@link ChannelBus} does it on one server with
 * pub/sub, {@link ShardedBus} on a Redis Cluster with sharded pub/sub.
 */
interface RoomBus {

    /** Hears what arrives; called on subscriber threads. */
    interface Receiver {
        /** Redis confirmed a room's channel: from now on the room hears everything; it catches up on the rest. */
        void live(RoomName room);

        /** A message on a room's channel. */
        void message(byte[] payload);
    }

    /** One message for a room's channel. */
    record Message(RoomName room, byte[] payload) {
    }

    /** The rooms whose messages did not all reach Redis, and why; {@link #NONE} when all did. */
    record Unsent(Set<RoomName> rooms, RuntimeException cause) {
        static final Unsent NONE = new Unsent(Set.of(), null);

        public Unsent {
            rooms = Set.copyOf(rooms);
        }

        static Unsent all(List<Message> messages, RuntimeException cause) {
            return new Unsent(messages.stream().map(Message::room).collect(Collectors.toSet()),
                    Objects.requireNonNull(cause, "cause"));
        }

        boolean failed() {
            return cause != null;
        }
    }

    /** Connects in the background; returns at once. */
    void start(Receiver receiver);

    /** Listens to a room's channel from now on (its first listener here). Calls for a room come in order. */
    void listen(RoomName room);

    /** Stops listening to a room's channel (its last listener left). */
    void unlisten(RoomName room);

    /** Whether Redis confirmed the room's channel on the connection that should carry it. */
    boolean isLive(RoomName room);

    /** True while every subscriber connection this node needs is up. */
    boolean subscribed();

    /** Subscriber connections made so far: more than one per Redis node means one reconnected. */
    long subscriberConnections();

    /** Sends the messages, in their order for each room; never throws. */
    Unsent send(List<Message> messages);

    /** Proves that Redis answers; throws when it does not. */
    void probe();

    void close();
}
