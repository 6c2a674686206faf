package dev.parley.application.port.in;

import java.util.Objects;

/** The operator lists the rooms with members whose names start with {@code prefix}. */
public record QueryRoomsCommand(String prefix) {
    public QueryRoomsCommand {
        Objects.requireNonNull(prefix, "prefix");
    }
}
