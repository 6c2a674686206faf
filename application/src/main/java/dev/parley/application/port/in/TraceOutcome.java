package dev.parley.application.port.in;

/** What asking for a room's trace did. */
public sealed interface TraceOutcome permits TraceOutcome.Tracing, Unavailable {

    /** The watcher hears the room's events from now on, until {@code stop} is called. */
    record Tracing(Runnable stop) implements TraceOutcome {
    }
}
