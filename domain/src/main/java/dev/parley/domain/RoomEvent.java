package dev.parley.domain;

import java.util.Objects;

/** What happens in a room that its members on every node hear about. */
public sealed interface RoomEvent permits RoomEvent.Posted, RoomEvent.Typing, RoomEvent.PresenceChanged {

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
}
