package dev.parley.domain;

import java.util.Objects;
import java.util.Optional;

/** What happens in a room that its members on every node hear about. */
public sealed interface RoomEvent permits RoomEvent.Posted, RoomEvent.Typing, RoomEvent.PresenceChanged,
        RoomEvent.Broadcast {

    RoomName room();

    /** A message was stored; members receive it in seq order. */
    record Posted(ChatMessage message) implements RoomEvent {
        public Posted {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public RoomName room() {
            return message.room();
        }
    }

    /** A member started or stopped typing; everyone but the typing connection hears it. */
    record Typing(RoomName room, User user, boolean active, ConnectionId origin) implements RoomEvent {
        public Typing {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * A user arrived ({@code joined}) or left; {@code count} is the distinct users present
     * after it. The connection that caused it learns it otherwise ({@code origin}).
     */
    record PresenceChanged(RoomName room, boolean joined, User user, int count, ConnectionId origin)
            implements RoomEvent {
        public PresenceChanged {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(origin, "origin");
        }
    }

    /**
     * An event the room's members hear once, as it passes, and that nothing stores: {@code name}
     * and {@code data} are the sender's (a Pusher event, say), opaque to the core. Everyone in
     * the room hears it but the connection {@code except} names, if any; {@code sender} is the
     * member who sent it, when a member did.
     */
    record Broadcast(RoomName room, String name, String data, Optional<ConnectionId> except, Optional<User> sender)
            implements RoomEvent {
        public Broadcast {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(except, "except");
            Objects.requireNonNull(sender, "sender");
        }
    }
}
