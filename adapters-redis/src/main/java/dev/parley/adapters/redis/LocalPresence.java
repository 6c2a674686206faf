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
    private final Map<UserId, Integer> connectionsPerUser = new HashMap<>();
    private final Map<RoomName, Room> rooms = new HashMap<>();

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

    /** A room's connections on this node in the order they joined, and each user's number of them. */
    private static final class Room {
        private final LinkedHashMap<ConnectionId, User> members = new LinkedHashMap<>();
        private final Map<UserId, Integer> connectionsPerUser = new HashMap<>();
    }

    /** Records an admission that Redis granted. */
    synchronized void admitted(UserId user, ConnectionId connection) {
        if (connections.put(connection, user) == null) {
            connectionsPerUser.merge(user, 1, Integer::sum);
        }
    }

    /** Decides an admission on this node's view alone (Redis is down), and records it if granted. */
    synchronized boolean admitLocally(UserId user, ConnectionId connection, int maxPerUser) {
        if (connections.containsKey(connection)) {
            return true;
        }
        if (connectionsPerUser.getOrDefault(user, 0) >= maxPerUser) {
            return false;
        }
        admitted(user, connection);
        return true;
    }

    synchronized void release(ConnectionId connection) {
        UserId user = connections.remove(connection);
        if (user != null) {
            connectionsPerUser.computeIfPresent(user, (id, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Records a join; answers what it changed in this node's view. */
    synchronized PresenceChange join(RoomName name, ConnectionId connection, User user) {
        Room room = rooms.computeIfAbsent(name, key -> new Room());
        User before = room.members.put(connection, user);
        if (before != null) {
            return new PresenceChange.Unchanged(room.connectionsPerUser.size());
        }
        boolean arrived = room.connectionsPerUser.merge(user.id(), 1, Integer::sum) == 1;
        int count = room.connectionsPerUser.size();
        return arrived ? new PresenceChange.Joined(user, count) : new PresenceChange.Unchanged(count);
    }

    /** Records a leave; answers what it changed in this node's view. */
    synchronized PresenceChange leave(RoomName name, ConnectionId connection, UserId user) {
        Room room = rooms.get(name);
        if (room == null) {
            return new PresenceChange.Unchanged(0);
        }
        User member = room.members.get(connection);
        if (member == null || !member.id().equals(user)) {
            return new PresenceChange.Unchanged(room.connectionsPerUser.size());
        }
        room.members.remove(connection);
        boolean left = room.connectionsPerUser.computeIfPresent(user, (id, count) -> count == 1 ? null : count - 1)
                == null;
        int count = room.connectionsPerUser.size();
        if (room.members.isEmpty()) {
            rooms.remove(name);
        }
        return left ? new PresenceChange.Left(member, count) : new PresenceChange.Unchanged(count);
    }

    /** This node's present users of a room, each once, in the order they arrived. */
    synchronized List<User> members(RoomName name) {
        Room room = rooms.get(name);
        if (room == null) {
            return List.of();
        }
        LinkedHashMap<UserId, User> users = new LinkedHashMap<>();
        for (User user : room.members.values()) {
            users.putIfAbsent(user.id(), user);
        }
        return new ArrayList<>(users.values());
    }

    synchronized Snapshot snapshot() {
        Map<String, Membership> memberships = new HashMap<>();
        for (Map.Entry<RoomName, Room> room : rooms.entrySet()) {
            for (Map.Entry<ConnectionId, User> member : room.getValue().members.entrySet()) {
                Membership membership = new Membership(room.getKey(), member.getKey(), member.getValue());
                memberships.put(membership.field(), membership);
            }
        }
        return new Snapshot(Map.copyOf(connections), memberships);
    }
}
