package dev.parley.application.port.in;

/** What a sign-in did. */
public sealed interface SignInOutcome
        permits SignInOutcome.SignedIn, ConnectOutcome.TooManyConnections, Unavailable, NotConnected {

    /** The connection now counts towards its user's connections, and acts as that user. */
    record SignedIn() implements SignInOutcome {
    }
}
