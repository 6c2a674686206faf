package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** The operator ends every connection of a user, whichever node holds it. */
public interface DisconnectUserUseCase {
    CompletableFuture<DisconnectUserOutcome> disconnect(DisconnectUserCommand command);
}
