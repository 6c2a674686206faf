package dev.parley.application.port.out;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Who is online, across all nodes: the connections of each user, and which users are present
 * in which room. A change reports a transition only for a user's first connection in and
 * last connection out.
 */
public interface PresenceStore {

    /** Registers a new connection unless the user has {@code maxPerUser} already. */
    CompletableFuture<Boolean> admitConnection(UserId user, ConnectionId connection, int maxPerUser);

    CompletableFuture<Void> releaseConnection(UserId user, ConnectionId connection);

    CompletableFuture<PresenceChange> join(RoomName room, ConnectionId connection, User user);

    CompletableFuture<PresenceChange> leave(RoomName room, ConnectionId connection, UserId user);

    /** Present users, each once, in the order they arrived. */
    CompletableFuture<List<User>> members(RoomName room);

    /** The rooms with members whose names start with {@code prefix}, by name. */
    CompletableFuture<List<RoomOccupancy>> rooms(String prefix);
}
