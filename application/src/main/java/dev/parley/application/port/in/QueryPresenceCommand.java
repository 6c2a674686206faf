package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import java.util.Objects;

public record QueryPresenceCommand(Requester requester, RoomName room) {
    public QueryPresenceCommand {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(room, "room");
    }
}
