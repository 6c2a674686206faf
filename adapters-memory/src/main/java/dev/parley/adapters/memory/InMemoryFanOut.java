package dev.parley.adapters.memory;

import dev.parley.application.port.out.FanOut;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Fan-out within one process: every subscriber of a room hears its events at once, on the
 * publishing thread. Several in-process "nodes" may share one instance.
 */
public final class InMemoryFanOut implements FanOut {
    private final ConcurrentHashMap<RoomName, Set<RoomEventListener>> listeners = new ConcurrentHashMap<>();

    @Override
    public Subscription subscribe(RoomName room, RoomEventListener listener) {
        listeners.computeIfAbsent(room, name -> new CopyOnWriteArraySet<>()).add(listener);
        return () -> listeners.computeIfPresent(room, (name, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    @Override
    public CompletableFuture<Void> publish(RoomEvent event) {
        Set<RoomEventListener> subscribers = listeners.get(event.room());
        if (subscribers != null) {
            for (RoomEventListener listener : subscribers) {
                listener.onEvent(event);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Rooms with at least one subscriber. */
    public int subscribedRooms() {
        return listeners.size();
    }
}
