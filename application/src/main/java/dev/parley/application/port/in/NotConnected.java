package dev.parley.application.port.in;

/** The connection the request came from is closed (or was never admitted): nobody is left to answer. */
public record NotConnected() implements Rejection, LeaveOutcome, SignInOutcome {
}
