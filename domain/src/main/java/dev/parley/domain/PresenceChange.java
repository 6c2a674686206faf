package dev.parley.domain;

import java.util.Objects;

/**
 * What a connection joining or leaving did to a room's presence. Only the transitions of a
 * user (first connection in, last connection out) are events others hear about.
 */
public sealed interface PresenceChange permits PresenceChange.Joined, PresenceChange.Left, PresenceChange.Unchanged {

    /** Distinct users present after the change. */
    int count();

    record Joined(User user, int count) implements PresenceChange {
        public Joined {
            Objects.requireNonNull(user, "user");
        }
    }

    record Left(User user, int count) implements PresenceChange {
        public Left {
            Objects.requireNonNull(user, "user");
        }
    }

    record Unchanged(int count) implements PresenceChange {
    }
}
