package dev.parley.domain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is in one room: each present user with the connections that keep them present.
 * Not thread-safe; its owner serialises access.
 */
public final class Presence {
    private final Map<UserId, Entry> users = new LinkedHashMap<>();

    private static final class Entry {
        private User user;
        private final Set<ConnectionId> connections = new HashSet<>();

        private Entry(User user) {
            this.user = user;
        }
    }

    public PresenceChange join(ConnectionId connection, User user) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(user, "user");
        Entry entry = users.get(user.id());
        if (entry == null) {
            entry = new Entry(user);
            users.put(user.id(), entry);
            entry.connections.add(connection);
            return new PresenceChange.Joined(user, users.size());
        }
        entry.user = user;
        entry.connections.add(connection);
        return new PresenceChange.Unchanged(users.size());
    }

    public PresenceChange leave(ConnectionId connection, UserId userId) {
        Entry entry = users.get(userId);
        if (entry == null || !entry.connections.remove(connection)) {
            return new PresenceChange.Unchanged(users.size());
        }
        if (!entry.connections.isEmpty()) {
            return new PresenceChange.Unchanged(users.size());
        }
        users.remove(userId);
        return new PresenceChange.Left(entry.user, users.size());
    }

    public boolean contains(UserId userId) {
        return users.containsKey(userId);
    }

    public int count() {
        return users.size();
    }

    public int connectionsOf(UserId userId) {
        Entry entry = users.get(userId);
        return entry == null ? 0 : entry.connections.size();
    }

    /** Present users in the order they arrived. */
    public List<User> members() {
        List<User> members = new ArrayList<>(users.size());
        for (Entry entry : users.values()) {
            members.add(entry.user);
        }
        return members;
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }
}
