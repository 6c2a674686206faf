package dev.parley.adapters.redis;

import dev.parley.application.port.out.FanOut;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A room listener that records what it hears, and how often it was told to catch up. Thread-safe. */
final class Recorder implements FanOut.RoomEventListener {
    private final List<RoomEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger possibleLosses = new AtomicInteger();

    @Override
    public void onEvent(RoomEvent event) {
        events.add(event);
    }

    @Override
    public void onPossibleLoss(RoomName room) {
        possibleLosses.incrementAndGet();
    }

    List<RoomEvent> events() {
        return List.copyOf(events);
    }

    /** The presence changes heard, as "join alice" / "leave bob". */
    List<String> presence() {
        return events.stream()
                .filter(RoomEvent.PresenceChanged.class::isInstance)
                .map(RoomEvent.PresenceChanged.class::cast)
                .map(change -> (change.joined() ? "join " : "leave ") + change.user().id().value())
                .toList();
    }

    int possibleLosses() {
        return possibleLosses.get();
    }
}
