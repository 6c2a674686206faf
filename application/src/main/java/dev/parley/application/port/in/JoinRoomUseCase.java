package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A connection joins a room, optionally recovering from a position. */
public interface JoinRoomUseCase {
    CompletableFuture<JoinOutcome> join(JoinRoomCommand command);
}
