package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import java.util.Objects;
import java.util.Optional;

/**
 * @param member whom the connection is in the room as, when not its principal's user (a front
 *               door whose clients name a member identity per room, as Pusher's presence channels do)
 */
public record JoinRoomCommand(ConnectionId connection, RoomName room, Optional<StreamPosition> since,
                              Optional<User> member) {
    public JoinRoomCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(member, "member");
    }

    public JoinRoomCommand(ConnectionId connection, RoomName room, Optional<StreamPosition> since) {
        this(connection, room, since, Optional.empty());
    }
}
