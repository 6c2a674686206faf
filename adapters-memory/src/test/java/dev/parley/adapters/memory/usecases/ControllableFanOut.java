package dev.parley.adapters.memory.usecases;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fan-out around the in-memory one that can drop chat events (a lossy bus), fail every
 * publish (a bus that is down), and tell its listeners that it may have lost events, as a bus
 * does after a reconnect.
 */
final class ControllableFanOut implements FanOut {
    private final FanOut delegate;
    private final AtomicBoolean dropPosted = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger postedPublished = new AtomicInteger();
    private final List<Registered> listeners = new CopyOnWriteArrayList<>();

    private record Registered(RoomName room, RoomEventListener listener) {
    }

    ControllableFanOut(FanOut delegate) {
        this.delegate = delegate;
    }

    /** While set, chat events are accepted and silently lost. */
    void dropPosted(boolean drop) {
        dropPosted.set(drop);
    }

    /** While set, every publish fails: the bus is down. */
    void down(boolean isDown) {
        down.set(isDown);
    }

    /** How many chat events were handed to the bus, dropped or not. */
    int postedPublished() {
        return postedPublished.get();
    }

    /** Tells every live listener of the room that events may have been lost. */
    void signalPossibleLoss(RoomName room) {
        for (Registered registered : listeners) {
            if (registered.room().equals(room)) {
                registered.listener().onPossibleLoss(room);
            }
        }
    }

    @Override
    public Subscription subscribe(RoomName room, RoomEventListener listener) {
        Registered registered = new Registered(room, listener);
        listeners.add(registered);
        Subscription subscription = delegate.subscribe(room, listener);
        return () -> {
            listeners.remove(registered);
            subscription.close();
        };
    }

    @Override
    public CompletableFuture<Void> publish(RoomEvent event) {
        if (down.get()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the bus is down"));
        }
        if (event instanceof RoomEvent.Posted) {
            postedPublished.incrementAndGet();
        }
        if (event instanceof RoomEvent.Posted && dropPosted.get()) {
            return CompletableFuture.completedFuture(null);
        }
        return delegate.publish(event);
    }
}
