package dev.parley.application.port.in;

/** What sending an event did. */
public sealed interface EventOutcome permits EventOutcome.Sent, Rejection {

    /**
     * On its way to the room's members on every node. Best effort, like the events themselves:
     * when the bus between nodes is down it reaches this node's members only.
     */
    record Sent() implements EventOutcome {
    }
}
