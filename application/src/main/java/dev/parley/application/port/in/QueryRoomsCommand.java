package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Optional;

/**
 * Lists the rooms with members whose names start with {@code prefix}, by name, those after
 * {@code after} only, at most {@code limit}; {@code withStreams} adds each room's stream state
 * (one history read per room).
 */
public record QueryRoomsCommand(String prefix, Optional<RoomName> after, int limit, boolean withStreams) {
    public QueryRoomsCommand {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    /** Every room with the prefix, without stream states. */
    public QueryRoomsCommand(String prefix) {
        this(prefix, Optional.empty(), Integer.MAX_VALUE, false);
    }
}
