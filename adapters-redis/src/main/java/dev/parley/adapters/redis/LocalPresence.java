package dev.parley.adapters.redis;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What this node knows for sure about its own connections: which it admitted and which rooms they
 * joined. Redis holds the same for every node; this copy lets a node answer from its own view
 * while Redis is down, and put its entries back once Redis returns (or after other nodes removed
 * them because its heartbeat lapsed). Thread-safe.
 */
final class LocalPresence {
    private final Map<ConnectionId, UserId> connections = new HashMap<>();
    /** Per room, its connections here in the order they joined. */
    private final Map<RoomName, LinkedHashMap<ConnectionId, User>> rooms = new HashMap<>();

    /** One membership of a connection of this node. */
    record Membership(RoomName room, ConnectionId connection, User user) {
        Membership {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(connection, "connection");
            Objects.requireNonNull(user, "user");
        }

        String field() {
            return RedisKeys.memberField(room, connection);
        }
    }

    record Snapshot(Map<ConnectionId, UserId> connections, Map<String, Membership> memberships) {
    }

    /** Records an admission that Redis granted. */
    synchronized void admitted(UserId user, ConnectionId connection) {
        connections.put(connection, user);
    }

    /** Decides an admission on this node's view alone (Redis is down), and records it if granted. */
    synchronized boolean admitLocally(UserId user, ConnectionId connection, int maxPerUser) {
        if (connections.containsKey(connection)) {
            return true;
        }
        long open = connections.values().stream().filter(user::equals).count();
        if (open >= maxPerUser) {
            return false;
        }
        connections.put(connection, user);
        return true;
    }

    synchronized void release(ConnectionId connection) {
        connections.remove(connection);
    }

    /** Records a join; answers what it changed in this node's view. */
    synchronized PresenceChange join(RoomName room, ConnectionId connection, User user) {
        LinkedHashMap<ConnectionId, User> members = rooms.computeIfAbsent(room, name -> new LinkedHashMap<>());
        boolean present = members.containsKey(connection)
                || members.values().stream().anyMatch(member -> member.id().equals(user.id()));
        members.put(connection, user);
        int count = distinctUsers(members);
        return present ? new PresenceChange.Unchanged(count) : new PresenceChange.Joined(user, count);
    }

    /** Records a leave; answers what it changed in this node's view. */
    synchronized PresenceChange leave(RoomName room, ConnectionId connection, UserId user) {
        LinkedHashMap<ConnectionId, User> members = rooms.get(room);
        if (members == null) {
            return new PresenceChange.Unchanged(0);
        }
        User member = members.get(connection);
        if (member == null || !member.id().equals(user)) {
            return new PresenceChange.Unchanged(distinctUsers(members));
        }
        members.remove(connection);
        int count = distinctUsers(members);
        if (members.isEmpty()) {
            rooms.remove(room);
        }
        boolean stillPresent = members.values().stream().anyMatch(other -> other.id().equals(user));
        return stillPresent ? new PresenceChange.Unchanged(count) : new PresenceChange.Left(member, count);
    }

    /** This node's present users of a room, each once, in the order they arrived. */
    synchronized List<User> members(RoomName room) {
        LinkedHashMap<ConnectionId, User> members = rooms.get(room);
        if (members == null) {
            return List.of();
        }
        LinkedHashMap<UserId, User> users = new LinkedHashMap<>();
        for (User user : members.values()) {
            users.putIfAbsent(user.id(), user);
        }
        return new ArrayList<>(users.values());
    }

    synchronized Snapshot snapshot() {
        Map<String, Membership> memberships = new HashMap<>();
        for (Map.Entry<RoomName, LinkedHashMap<ConnectionId, User>> room : rooms.entrySet()) {
            for (Map.Entry<ConnectionId, User> member : room.getValue().entrySet()) {
                Membership membership = new Membership(room.getKey(), member.getKey(), member.getValue());
                memberships.put(membership.field(), membership);
            }
        }
        return new Snapshot(Map.copyOf(connections), memberships);
    }

    private static int distinctUsers(Map<ConnectionId, User> members) {
        return (int) members.values().stream().map(User::id).distinct().count();
    }
}
