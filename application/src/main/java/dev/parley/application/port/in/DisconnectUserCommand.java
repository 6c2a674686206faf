package dev.parley.application.port.in;

import dev.parley.domain.UserId;
import java.util.Objects;

/** The operator ends every connection of a user, on every node. */
public record DisconnectUserCommand(UserId user) {
    public DisconnectUserCommand {
        Objects.requireNonNull(user, "user");
    }
}
