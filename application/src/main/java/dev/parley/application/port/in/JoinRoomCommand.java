package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import java.util.Objects;
import java.util.Optional;

public record JoinRoomCommand(ConnectionId connection, RoomName room, Optional<StreamPosition> since) {
    public JoinRoomCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(since, "since");
    }
}
