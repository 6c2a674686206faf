package dev.parley.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A stored message. {@code seq} is its place in the room (from 1, gap-free), {@code id} the
 * sender's idempotency key, {@code sentAt} the server's time of storing in epoch ms.
 */
public record ChatMessage(
        RoomName room, long seq, RequestId id, User from, MessageText text, Optional<MessageData> data, long sentAt) {

    public ChatMessage {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(data, "data");
        if (seq < 1 || seq > StreamPosition.MAX_SEQ) {
            throw new IllegalArgumentException("seq must be in 1..2^53: " + seq);
        }
    }
}
