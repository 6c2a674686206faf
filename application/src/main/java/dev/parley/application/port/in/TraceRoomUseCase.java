package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/**
 * The operator watches a room's events as they pass on this node, whichever node published them:
 * every chat once and in seq order, every typing and presence event, from now on.
 */
public interface TraceRoomUseCase {
    CompletableFuture<TraceOutcome> trace(TraceRoomCommand command);
}
