package dev.parley.application.port.in;

/** What a typing indicator did. */
public sealed interface TypingOutcome permits TypingOutcome.Sent, Rejection {

    /**
     * On its way to the room's other members. Best effort: when the bus between nodes is down it
     * reaches this node's members only, which is not worth an error.
     */
    record Sent() implements TypingOutcome {
    }
}
