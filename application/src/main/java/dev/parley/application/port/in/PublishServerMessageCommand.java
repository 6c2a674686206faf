package dev.parley.application.port.in;

import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Optional;

/** {@code id} is the idempotency key; the caller makes one up when the request had none. */
public record PublishServerMessageCommand(RoomName room, RequestId id, MessageText text, Optional<MessageData> data) {
    public PublishServerMessageCommand {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(data, "data");
    }
}
