package dev.parley.domain;

import java.util.Objects;

/** What a session says to a join: go ahead with this ticket, refused, or the connection is closed. */
public sealed interface JoinDecision permits JoinDecision.Admitted, JoinDecision.Refused, JoinDecision.Closed {

    record Admitted(JoinTicket ticket) implements JoinDecision {
        public Admitted {
            Objects.requireNonNull(ticket, "ticket");
        }
    }

    record Refused(AccessDecision.Refused refusal) implements JoinDecision {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    /** The connection closed: a join under way must not outlive it. */
    record Closed() implements JoinDecision {
    }
}
