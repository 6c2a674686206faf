package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.RequestId;
import java.util.Objects;

public record QueryHistoryCommand(ConnectionId connection, RequestId requestId, HistoryQuery query) {
    public QueryHistoryCommand {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(query, "query");
    }
}
