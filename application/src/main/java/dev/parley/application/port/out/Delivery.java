package dev.parley.application.port.out;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomEvent;
import java.util.Collection;

/**
 * Pushes what reaches this node's connections unasked: the events of their rooms, in the order
 * the rooms release them (a joining connection's replay included). Answers to requests are not
 * sent here: use cases return them. Calls return at once: events are queued, in call order per
 * connection; a connection that is gone is skipped silently. Implementations never call back
 * into a use case from within this method (closing a slow consumer, say, happens later on
 * another thread): callers may hold locks.
 */
public interface Delivery {

    /** The same event to every recipient: encoded once, not once per recipient. */
    void deliver(Collection<ConnectionId> recipients, RoomEvent event);

    /** Closes the connection for {@code reason}, each front door in its own words; gone ones are skipped. */
    void disconnect(ConnectionId connection, DisconnectReason reason);
}
