package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/**
 * The operator's backend posts into a room, as the {@code system} user: {@code Stored},
 * {@code Duplicate} or {@code Unavailable}.
 */
public interface PublishServerMessageUseCase {
    CompletableFuture<ChatOutcome> publish(PublishServerMessageCommand command);
}
