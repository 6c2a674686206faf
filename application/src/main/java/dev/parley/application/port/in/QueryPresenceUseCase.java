package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Who is in a room: for a connection that may access it, or for the operator API. */
public interface QueryPresenceUseCase {

    /** Replies to the connection through {@code Delivery}. */
    CompletableFuture<Void> presence(QueryPresenceCommand command);

    /** The operator's view: no room access check. */
    CompletableFuture<List<User>> members(RoomName room);
}
