package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** Who is in a room, for a connection with the right to join it, or for the operator. */
public interface QueryPresenceUseCase {
    CompletableFuture<PresenceOutcome> presence(QueryPresenceCommand command);
}
