package dev.parley.application.port.in;

/**
 * Why a request of a connection went no further than its opening check: an outcome of every
 * request a connection makes.
 */
public sealed interface Rejection
        extends ChatOutcome, JoinOutcome, TypingOutcome, EventOutcome, HistoryOutcome, PresenceOutcome
        permits Refused, NotConnected {
}
