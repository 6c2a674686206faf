package dev.parley.adapters.memory;

import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Presence;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserConnections;
import dev.parley.domain.UserId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Presence of one node, in memory. Thread-safe; answers at once. */
public final class InMemoryPresenceStore implements PresenceStore {
    private final Map<RoomName, Presence> rooms = new TreeMap<>(Comparator.comparing(RoomName::value));
    private final UserConnections connections = new UserConnections();

    @Override
    public synchronized CompletableFuture<Boolean> admitConnection(UserId user, ConnectionId connection,
                                                                   int maxPerUser) {
        return CompletableFuture.completedFuture(connections.admit(user, connection, maxPerUser));
    }

    @Override
    public synchronized CompletableFuture<Void> releaseConnection(UserId user, ConnectionId connection) {
        connections.release(user, connection);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletableFuture<PresenceChange> join(RoomName room, ConnectionId connection, User user) {
        return CompletableFuture.completedFuture(rooms.computeIfAbsent(room, name -> new Presence())
                .join(connection, user));
    }

    @Override
    public synchronized CompletableFuture<PresenceChange> leave(RoomName room, ConnectionId connection, UserId user) {
        Presence presence = rooms.get(room);
        if (presence == null) {
            return CompletableFuture.completedFuture(new PresenceChange.Unchanged(0));
        }
        PresenceChange change = presence.leave(connection, user);
        if (presence.isEmpty()) {
            rooms.remove(room);
        }
        return CompletableFuture.completedFuture(change);
    }

    @Override
    public synchronized CompletableFuture<List<User>> members(RoomName room) {
        Presence presence = rooms.get(room);
        return CompletableFuture.completedFuture(presence == null ? List.of() : presence.members());
    }

    @Override
    public synchronized CompletableFuture<List<RoomOccupancy>> rooms(String prefix) {
        List<RoomOccupancy> occupied = new ArrayList<>();
        for (Map.Entry<RoomName, Presence> room : rooms.entrySet()) {
            if (room.getKey().value().startsWith(prefix)) {
                occupied.add(new RoomOccupancy(room.getKey(), room.getValue().count(),
                        room.getValue().memberships().size()));
            }
        }
        return CompletableFuture.completedFuture(occupied);
    }
}
