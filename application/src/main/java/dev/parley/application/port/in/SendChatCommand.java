package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Optional;

/** {@code id} is the message's idempotency key: a repeat of the same id is stored once. */
public record SendChatCommand(ConnectionId connection, RequestId id, RoomName room, MessageText text,
                              Optional<MessageData> data) {
    public SendChatCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(data, "data");
    }
}
