package dev.parley.adapters.websocket.http;

/** One dependency {@code /health} reports on. */
public interface HealthCheck {

    String name();

    Status status();

    enum Status {
        UP,
        /** Working with less: e.g. a single node without its cross-node bus. Still 200. */
        DEGRADED,
        DOWN
    }
}
