package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Optional;

/**
 * An event for a room's members that nothing stores: sent by a member ({@link Requester.Connection},
 * which must be in the room and does not hear it back) or by the operator, who may leave one
 * connection out ({@code except}: the socket that caused it, as Pusher's {@code socket_id}).
 */
public record SendEventCommand(Requester requester, RoomName room, String name, String data,
                               Optional<ConnectionId> except) {
    public SendEventCommand {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(except, "except");
    }
}
