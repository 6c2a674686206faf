package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import java.util.concurrent.CompletableFuture;

/** The operator looks at one room: who is present across all nodes and what its history holds. */
public interface QueryRoomUseCase {
    CompletableFuture<RoomOutcome> room(RoomName room);
}
