package dev.parley.application.port.in;

import dev.parley.domain.ConnectionId;
import java.util.concurrent.CompletableFuture;

/** A connection ended, however it ended: its rooms, presence and user slot are released. */
public interface DisconnectUseCase {
    CompletableFuture<Void> disconnect(ConnectionId connection);
}
