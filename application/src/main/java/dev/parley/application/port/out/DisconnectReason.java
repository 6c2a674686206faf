package dev.parley.application.port.out;

/** Why the server ends a connection itself. */
public enum DisconnectReason {
    /** An operator asked for the user's connections to end: the client should not come back. */
    BY_OPERATOR
}
