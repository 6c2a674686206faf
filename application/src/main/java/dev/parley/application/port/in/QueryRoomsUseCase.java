package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** Which rooms have members, and how many, across all nodes. */
public interface QueryRoomsUseCase {
    CompletableFuture<RoomsOutcome> rooms(QueryRoomsCommand command);
}
