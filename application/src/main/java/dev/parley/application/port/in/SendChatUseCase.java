package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A member posts a message: answered once it is stored durably, then delivered to the room. */
public interface SendChatUseCase {
    CompletableFuture<ChatOutcome> send(SendChatCommand command);
}
