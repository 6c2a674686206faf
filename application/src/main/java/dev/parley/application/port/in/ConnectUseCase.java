package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A client opens a connection: admitted unless the user is at their connection limit. */
public interface ConnectUseCase {
    CompletableFuture<ConnectOutcome> connect(ConnectCommand command);
}
