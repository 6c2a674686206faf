package dev.parley.application.port.out;

import dev.parley.domain.ConnectionId;

/** A token bucket per connection for the frames it sends. Answers at once, never blocks. */
public interface RateLimiter {

    /** Takes one token; 0 when allowed, otherwise the milliseconds until a token is free. */
    long tryAcquire(ConnectionId connection);

    /** The connection is gone: drop its bucket. */
    void forget(ConnectionId connection);
}
