package dev.parley.application.port.out;

import dev.parley.domain.UserId;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Tells every node of the cluster, this one included, what concerns all of their connections. */
public interface NodeSignals {

    /** Hears every signal from now on, from any node. */
    void subscribe(Listener listener);

    /** Sends a signal to every node; fails when the bus is down. */
    CompletableFuture<Void> publish(Signal signal);

    sealed interface Signal permits DisconnectUser {
    }

    /** Every connection of the user ends, on whichever node it is. */
    record DisconnectUser(UserId user) implements Signal {
        public DisconnectUser {
            Objects.requireNonNull(user, "user");
        }
    }

    @FunctionalInterface
    interface Listener {
        void onSignal(Signal signal);
    }
}
