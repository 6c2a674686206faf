package dev.parley.domain;

import java.util.Objects;
import java.util.Optional;

/** A message on its way to the history store, before it has a seq. */
public record MessageDraft(RoomName room, RequestId id, User from, MessageText text, Optional<MessageData> data) {
    public MessageDraft {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(data, "data");
    }

    /** The stored message, once the store has given it a seq and a time. */
    public ChatMessage stored(long seq, long sentAt) {
        return new ChatMessage(room, seq, id, from, text, data, sentAt);
    }
}
