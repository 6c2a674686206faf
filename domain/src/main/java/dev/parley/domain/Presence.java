package dev.parley.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who is in one room: each present user with the connections that keep them present. A user is
 * present while at least one of their connections is joined; only the first connection in and
 * the last out are transitions. A connection is a member as one user: joining again, as anyone,
 * changes nothing but that user's display name. Not thread-safe; its owner serialises access.
 */
public final class Presence {
    /** In the order the users arrived: a user keeps their place while any connection stays. */
    private final Map<UserId, Entry> users = new LinkedHashMap<>();
    private final Map<ConnectionId, UserId> connections = new HashMap<>();

    private static final class Entry {
        private User user;
        private int connections;

        private Entry(User user) {
            this.user = user;
        }
    }

    public PresenceChange join(ConnectionId connection, User user) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(user, "user");
        UserId member = connections.get(connection);
        if (member != null) {
            if (member.equals(user.id())) {
                users.get(member).user = user;
            }
            return new PresenceChange.Unchanged(users.size());
        }
        connections.put(connection, user.id());
        Entry entry = users.get(user.id());
        if (entry == null) {
            entry = new Entry(user);
            users.put(user.id(), entry);
            entry.connections = 1;
            return new PresenceChange.Joined(user, users.size());
        }
        entry.user = user;
        entry.connections++;
        return new PresenceChange.Unchanged(users.size());
    }

    /** A leave by a connection that is not a member, or is one as another user, changes nothing. */
    public PresenceChange leave(ConnectionId connection, UserId userId) {
        UserId member = connections.get(connection);
        if (member == null || !member.equals(userId)) {
            return new PresenceChange.Unchanged(users.size());
        }
        connections.remove(connection);
        Entry entry = users.get(member);
        if (--entry.connections > 0) {
            return new PresenceChange.Unchanged(users.size());
        }
        users.remove(member);
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
        return entry == null ? 0 : entry.connections;
    }

    /** Present users in the order they arrived. */
    public List<User> members() {
        List<User> members = new ArrayList<>(users.size());
        for (Entry entry : users.values()) {
            members.add(entry.user);
        }
        return members;
    }

    /** Each joined connection with the user it keeps present (a copy). */
    public Map<ConnectionId, User> memberships() {
        Map<ConnectionId, User> memberships = new HashMap<>(connections.size());
        connections.forEach((connection, userId) -> memberships.put(connection, users.get(userId).user));
        return memberships;
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }
}
