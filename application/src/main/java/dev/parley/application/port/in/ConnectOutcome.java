package dev.parley.application.port.in;

/** Whether a new connection may open. */
public sealed interface ConnectOutcome permits ConnectOutcome.Admitted, ConnectOutcome.TooManyConnections, Unavailable {

    record Admitted() implements ConnectOutcome {
    }

    /** The user already has as many connections as allowed. */
    record TooManyConnections(int limit) implements ConnectOutcome, SignInOutcome {
    }
}
