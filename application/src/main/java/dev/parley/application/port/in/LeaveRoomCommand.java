package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import java.util.Objects;

public record LeaveRoomCommand(ConnectionId connection, RoomName room) {
    public LeaveRoomCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(room, "room");
    }
}
