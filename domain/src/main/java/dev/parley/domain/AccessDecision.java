package dev.parley.domain;

import java.util.Objects;

/** Whether a connection may do what it asked, and if not, why. */
public sealed interface AccessDecision permits AccessDecision.Permitted, AccessDecision.Refused {

    Permitted PERMITTED = new Permitted();

    static AccessDecision refused(Refusal reason, String message) {
        return new Refused(reason, message);
    }

    default boolean isPermitted() {
        return this instanceof Permitted;
    }

    record Permitted() implements AccessDecision {
    }

    record Refused(Refusal reason, String message) implements AccessDecision {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
