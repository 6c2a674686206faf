package dev.parley.application.port.out;

import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.util.concurrent.CompletableFuture;

/**
 * Carries room events to every node that has members in the room, this one included. It may
 * lose or reorder chat events (the history store fills the gaps); it must not invent any.
 */
public interface FanOut {

    /** Hears a room's events until the subscription is closed. */
    Subscription subscribe(RoomName room, RoomEventListener listener);

    /** Sends an event to every subscriber of its room; fails when the bus is down. */
    CompletableFuture<Void> publish(RoomEvent event);

    @FunctionalInterface
    interface RoomEventListener {
        void onEvent(RoomEvent event);

        /**
         * The bus may have dropped events of this room (a reconnect, say): the listener
         * should catch up from history.
         */
        default void onPossibleLoss(RoomName room) {
        }
    }

    @FunctionalInterface
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
