package dev.parley.application.port.in;

import dev.parley.application.port.out.AppendOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * The operator's backend posts into a room (HTTP API), as the {@code system} user. Completes
 * once stored; fails when the store is unavailable.
 */
public interface PublishServerMessageUseCase {
    CompletableFuture<AppendOutcome> publish(PublishServerMessageCommand command);
}
