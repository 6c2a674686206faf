package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A member posts a message: acknowledged once stored, then delivered to the room. */
public interface SendChatUseCase {
    CompletableFuture<Void> send(SendChatCommand command);
}
