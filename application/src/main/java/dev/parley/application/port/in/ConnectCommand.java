package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import java.util.Objects;

public record ConnectCommand(ConnectionId connection, Principal principal) {
    public ConnectCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(principal, "principal");
    }
}
