package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import java.util.Objects;

public record SendTypingCommand(ConnectionId connection, RoomName room, boolean active) {
    public SendTypingCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(room, "room");
    }
}
