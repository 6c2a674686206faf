package dev.parley.client;

/** Where the client's connection is. */
public enum ConnectionState {
    /** Not started yet. */
    IDLE,
    /** Opening a WebSocket, waiting for {@code welcome}. */
    CONNECTING,
    /** {@code welcome} received: requests flow. */
    CONNECTED,
    /** Lost; the next attempt is scheduled (see {@link ConnectionEvent#retryIn()}). */
    RECONNECTING,
    /** For good: closed by the application, or by a close code that forbids reconnecting. */
    CLOSED
}
