package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Optional;

/** {@code requestId} is optional on typing; when present an error replies to it. */
public record SendTypingCommand(ConnectionId connection, Optional<RequestId> requestId, RoomName room,
                                boolean active) {
    public SendTypingCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(room, "room");
    }
}
