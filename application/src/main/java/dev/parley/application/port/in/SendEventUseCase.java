package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** An event passes through a room to its members, once, and is not stored. */
public interface SendEventUseCase {
    CompletableFuture<EventOutcome> send(SendEventCommand command);
}
