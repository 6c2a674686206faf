package dev.parley.domain;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The per-user connection limit: each user's admitted connections, at most a given number at a
 * time. A connection already admitted for a user is admitted again without taking another place.
 * Not thread-safe; its owner serialises access.
 */
public final class UserConnections {
    private final Map<UserId, Set<ConnectionId>> open = new HashMap<>();

    /**
     * Admits {@code connection} for {@code user} if it already is, or if the user has fewer than
     * {@code maxPerUser} connections; answers whether it is admitted.
     */
    public boolean admit(UserId user, ConnectionId connection, int maxPerUser) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(connection, "connection");
        Set<ConnectionId> connections = open.get(user);
        if (connections != null && connections.contains(connection)) {
            return true;
        }
        if (count(user) >= maxPerUser) {
            return false;
        }
        open.computeIfAbsent(user, id -> new HashSet<>()).add(connection);
        return true;
    }

    /** Frees the connection's place; a connection not admitted for this user frees nothing. */
    public void release(UserId user, ConnectionId connection) {
        Set<ConnectionId> connections = open.get(user);
        if (connections != null && connections.remove(connection) && connections.isEmpty()) {
            open.remove(user);
        }
    }

    public int count(UserId user) {
        Set<ConnectionId> connections = open.get(user);
        return connections == null ? 0 : connections.size();
    }

    /** Every user's admitted connections (a copy). */
    public Map<UserId, Set<ConnectionId>> admitted() {
        Map<UserId, Set<ConnectionId>> copy = new HashMap<>(open.size());
        open.forEach((user, connections) -> copy.put(user, Set.copyOf(connections)));
        return copy;
    }
}
