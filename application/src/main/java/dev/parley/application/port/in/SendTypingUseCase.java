package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A member starts or stops typing; the others in the room hear it. No reply unless refused. */
public interface SendTypingUseCase {
    CompletableFuture<Void> typing(SendTypingCommand command);
}
