package dev.parley.application.port.in;

import java.util.Objects;

/** A store or bus the request needs is down: nothing was done, and the request may be tried again. */
public record Unavailable(String cause)
        implements ConnectOutcome, SignInOutcome, ChatOutcome, JoinOutcome, HistoryOutcome, PresenceOutcome,
        RoomsOutcome, RoomOutcome, DisconnectUserOutcome, UserConnectionsOutcome, NodesOutcome, TraceOutcome {
    public Unavailable {
        Objects.requireNonNull(cause, "cause");
    }

    /** The failure a store's or bus's future completed with, as the outcome of the request that needed it. */
    public static Unavailable because(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return new Unavailable(String.valueOf(cause));
    }
}
