package dev.parley.application.port.in;

import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import java.util.concurrent.CompletableFuture;

/** A page of a room's history: for a connection that may access the room, or for the operator API. */
public interface QueryHistoryUseCase {

    /** Replies to the connection through {@code Delivery}. */
    CompletableFuture<Void> history(QueryHistoryCommand command);

    /** The operator's view: no room access check. Fails when the store is unavailable. */
    CompletableFuture<HistoryPage> page(HistoryQuery query);
}
