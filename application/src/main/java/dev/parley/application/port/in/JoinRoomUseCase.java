package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/**
 * A connection joins a room, optionally recovering from a position. Answers through
 * {@code Delivery}: the ack, then any replayed messages, then live ones; the future
 * completes once the answer is queued.
 */
public interface JoinRoomUseCase {
    CompletableFuture<Void> join(JoinRoomCommand command);
}
