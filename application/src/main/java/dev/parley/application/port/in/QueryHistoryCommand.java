package dev.parley.application.port.in;

import dev.parley.domain.HistoryQuery;
import java.util.Objects;

public record QueryHistoryCommand(Requester requester, HistoryQuery query) {
    public QueryHistoryCommand {
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(query, "query");
    }
}
