package dev.parley.application.service;

import dev.parley.application.port.in.TraceOutcome;
import dev.parley.application.port.in.TraceRoomCommand;
import dev.parley.application.port.in.TraceRoomUseCase;
import dev.parley.application.port.in.Unavailable;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** The operator's live view of a room: its events as this node's room releases them. */
public final class TraceService implements TraceRoomUseCase {
    private final LocalRooms rooms;

    public TraceService(LocalRooms rooms) {
        this.rooms = Objects.requireNonNull(rooms, "rooms");
    }

    @Override
    public CompletableFuture<TraceOutcome> trace(TraceRoomCommand command) {
        return rooms.watch(command.room(), command.watcher())
                .thenApply(stop -> (TraceOutcome) new TraceOutcome.Tracing(stop))
                .exceptionally(Unavailable::because);
    }
}
