package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import java.util.Objects;
import java.util.Optional;

public record JoinRoomCommand(ConnectionId connection, RequestId requestId, RoomName room,
                              Optional<StreamPosition> since) {
    public JoinRoomCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(since, "since");
    }
}
