package dev.parley.application.port.in;

import dev.parley.domain.HistoryPage;
import java.util.Objects;

/** What reading a room's history gave. */
public sealed interface HistoryOutcome permits HistoryOutcome.Page, Rejection, Unavailable {

    record Page(HistoryPage page) implements HistoryOutcome {
        public Page {
            Objects.requireNonNull(page, "page");
        }
    }
}
