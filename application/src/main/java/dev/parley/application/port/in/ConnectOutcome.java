package dev.parley.application.port.in;

/** Whether a new connection may open. */
public enum ConnectOutcome {
    ADMITTED,
    /** The user already has as many connections as allowed. */
    TOO_MANY_CONNECTIONS
}
