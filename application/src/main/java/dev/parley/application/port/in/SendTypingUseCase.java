package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A member starts or stops typing; the others in the room hear it. */
public interface SendTypingUseCase {
    CompletableFuture<TypingOutcome> typing(SendTypingCommand command);
}
