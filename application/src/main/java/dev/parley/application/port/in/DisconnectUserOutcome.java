package dev.parley.application.port.in;

/** What asking for a user's connections to end did. */
public sealed interface DisconnectUserOutcome permits DisconnectUserOutcome.Requested, Unavailable {

    /** Every node has been told; each closes the user's connections it holds ({@code connections} of them, all told). */
    record Requested(int connections) implements DisconnectUserOutcome {
    }
}
