package dev.parley.application.port.out;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.NodeId;
import dev.parley.domain.RoomName;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One connection of a user: the node that holds it, since when, and the rooms it is in. */
public record UserConnection(ConnectionId id, NodeId node, Instant connectedAt, List<RoomName> rooms) {
    public UserConnection {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(connectedAt, "connectedAt");
        rooms = List.copyOf(rooms);
    }
}
