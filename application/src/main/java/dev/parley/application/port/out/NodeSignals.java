package dev.parley.application.port.out;

import dev.parley.domain.NodeId;
import dev.parley.domain.UserId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Tells every node of the cluster, this one included, what concerns all of their connections. */
public interface NodeSignals {

    /** Hears every signal from now on, from any node. */
    void subscribe(Listener listener);

    /** Sends a signal to every node; fails when the bus is down. */
    CompletableFuture<Void> publish(Signal signal);

    sealed interface Signal permits DisconnectUser, FindConnections, ConnectionsFound {
    }

    /** Every connection of the user ends, on whichever node it is. */
    record DisconnectUser(UserId user) implements Signal {
        public DisconnectUser {
            Objects.requireNonNull(user, "user");
        }
    }

    /** Every node answers {@code request} with a {@link ConnectionsFound} of the user's connections it holds. */
    record FindConnections(UUID request, UserId user) implements Signal {
        public FindConnections {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(user, "user");
        }
    }

    /** One node's answer to a {@link FindConnections}. */
    record ConnectionsFound(UUID request, NodeId node, List<UserConnection> connections) implements Signal {
        public ConnectionsFound {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(node, "node");
            connections = List.copyOf(connections);
        }
    }

    @FunctionalInterface
    interface Listener {
        void onSignal(Signal signal);
    }
}
