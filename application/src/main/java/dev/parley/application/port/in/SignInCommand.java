package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import java.util.Objects;

/** An open connection says who it is, after it connected anonymously. */
public record SignInCommand(ConnectionId connection, Principal principal) {
    public SignInCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(principal, "principal");
    }
}
