package dev.parley.application.port.in;

import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.Objects;

/** Watch {@code room}; {@code watcher} hears its events until the trace is stopped. */
public record TraceRoomCommand(RoomName room, Watcher watcher) {
    public TraceRoomCommand {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(watcher, "watcher");
    }

    /** Called under the room's lock, in the room's order: it queues, never blocks, never calls a use case. */
    @FunctionalInterface
    public interface Watcher {
        void onEvent(RoomEvent event);
    }
}
