package dev.parley.application.port.out;

import dev.parley.domain.ConnectionId;
import java.util.Collection;

/**
 * Pushes messages to this node's connections. Calls return at once: messages are queued, in
 * call order per connection. A connection that is gone is skipped silently. Implementations
 * never call back into a use case from within these methods (closing a slow consumer, say,
 * happens later on another thread): callers may hold locks.
 */
public interface Delivery {

    void send(ConnectionId connection, ServerMessage message);

    /** The same message to many connections: encoded once, not once per recipient. */
    void broadcast(Collection<ConnectionId> connections, ServerMessage message);
}
