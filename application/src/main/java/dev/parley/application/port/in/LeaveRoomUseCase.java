package dev.parley.application.port.in;

import java.util.concurrent.CompletableFuture;

/** A connection leaves a room; leaving a room not joined is fine too. */
public interface LeaveRoomUseCase {
    CompletableFuture<LeaveOutcome> leave(LeaveRoomCommand command);
}
