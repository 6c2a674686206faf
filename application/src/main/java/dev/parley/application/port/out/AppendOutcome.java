package dev.parley.application.port.out;

import dev.parley.domain.ChatMessage;
import java.util.Objects;

/** What appending a message did: stored it now, or found it stored before under the same id. */
public sealed interface AppendOutcome permits AppendOutcome.Stored, AppendOutcome.Duplicate {

    ChatMessage message();

    record Stored(ChatMessage message) implements AppendOutcome {
        public Stored {
            Objects.requireNonNull(message, "message");
        }
    }

    /** The same (room, sender, id) was stored before; {@code message} is that first one. */
    record Duplicate(ChatMessage message) implements AppendOutcome {
        public Duplicate {
            Objects.requireNonNull(message, "message");
        }
    }
}
