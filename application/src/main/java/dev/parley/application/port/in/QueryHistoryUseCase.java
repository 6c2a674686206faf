package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A page of a room's history, for a connection with the right to join the room, or for the operator. */
public interface QueryHistoryUseCase {
    CompletableFuture<HistoryOutcome> history(QueryHistoryCommand command);
}
