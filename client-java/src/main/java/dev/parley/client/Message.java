package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.domain.User;
import java.util.Objects;
import java.util.Optional;

/**
 * A chat message as the server stored it.
 *
 * @param data the application's JSON object, if the sender attached one
 */
public record Message(String room, long seq, String id, User from, String text, Optional<JsonNode> data,
                      long sentAt) {
    public Message {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(data, "data");
    }

    /** What makes a message unique in its room, whatever the epoch: its sender and its id. */
    String key() {
        return from.id().value() + '\u0000' + id;
    }
}
