package dev.parley.application.port.in;

import dev.parley.domain.ChatMessage;
import java.util.Objects;

/** What posting a message did. */
public sealed interface ChatOutcome permits ChatOutcome.Stored, ChatOutcome.Duplicate, Rejection, Unavailable {

    /** Stored durably now, and on its way to the room's members. */
    record Stored(ChatMessage message) implements ChatOutcome {
        public Stored {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The same id of the same sender in the same room was stored before: {@code message} is that first one. */
    record Duplicate(ChatMessage message) implements ChatOutcome {
        public Duplicate {
            Objects.requireNonNull(message, "message");
        }
    }
}
