package dev.parley.domain;

import java.util.Objects;

/**
 * One join of a connection to a room, told apart from its other joins of that room: a rejoin
 * or a leave while a join is under way makes the older ticket stale.
 */
public record JoinTicket(ConnectionId connection, RoomName room, long number) {
    public JoinTicket {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(room, "room");
    }
}
