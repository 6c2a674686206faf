package dev.parley.domain;

import java.util.Objects;
import java.util.UUID;

/** One WebSocket connection, unique across nodes and restarts. */
public record ConnectionId(String value) {
    public ConnectionId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException("connection id must be 1 to 64 characters");
        }
    }

    public static ConnectionId of(String value) {
        return new ConnectionId(value);
    }

    public static ConnectionId random() {
        return new ConnectionId(UUID.randomUUID().toString().replace("-", ""));
    }

    @Override
    public String toString() {
        return value;
    }
}
