package dev.parley.application.port.in;

import dev.parley.domain.AccessDecision;
import dev.parley.domain.Refusal;
import java.util.Objects;

/** The request was refused: the connection may not do this (not a failure of anything). */
public record Refused(Refusal reason, String message) implements Rejection {
    public Refused {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public static Refused of(AccessDecision.Refused refusal) {
        return new Refused(refusal.reason(), refusal.message());
    }
}
