package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Optional;

public record SendChatCommand(ConnectionId connection, RequestId requestId, RoomName room, MessageText text,
                              Optional<MessageData> data) {
    public SendChatCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(data, "data");
    }
}
