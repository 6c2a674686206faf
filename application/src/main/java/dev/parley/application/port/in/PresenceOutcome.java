package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.List;
import java.util.Objects;

/** Who is in a room. */
public sealed interface PresenceOutcome permits PresenceOutcome.Members, Rejection, Unavailable {

    /** The present users, each once, in the order they arrived. */
    record Members(RoomName room, List<User> users) implements PresenceOutcome {
        public Members {
            Objects.requireNonNull(room, "room");
            users = List.copyOf(users);
        }
    }
}
