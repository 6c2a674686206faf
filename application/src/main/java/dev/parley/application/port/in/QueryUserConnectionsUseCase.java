package dev.parley.application.port.in;

import dev.parley.domain.UserId;
import java.util.concurrent.CompletableFuture;

/** The operator looks up a user's connections on every node. */
public interface QueryUserConnectionsUseCase {
    CompletableFuture<UserConnectionsOutcome> connections(UserId user);
}
