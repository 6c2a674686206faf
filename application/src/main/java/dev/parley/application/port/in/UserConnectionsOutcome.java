package dev.parley.application.port.in;

import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.UserId;
import java.util.List;
import java.util.Objects;

/** A user's connections across all nodes. */
public sealed interface UserConnectionsOutcome permits UserConnectionsOutcome.Connections, Unavailable {

    /** Oldest first. */
    record Connections(UserId user, List<UserConnection> connections) implements UserConnectionsOutcome {
        public Connections {
            Objects.requireNonNull(user, "user");
            connections = List.copyOf(connections);
        }
    }
}
