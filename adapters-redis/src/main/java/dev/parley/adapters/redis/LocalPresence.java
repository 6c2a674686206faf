package dev.parley.adapters.redis;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What this node knows for sure about its own connections: which it admitted and which rooms they
 * joined. Redis holds the same for every node; this copy lets a node answer from its own view
 * while Redis is down, and put its entries back once Redis returns (or after other nodes removed
 * them because its heartbeat lapsed). The rules are the domain's ({@link Presence} per room,
 * {@link UserConnections}), which the Lua scripts mirror atomically in Redis. Thread-safe.
 */
final class LocalPresence {
    private final UserConnections connections = new UserConnections();
    private final Map<RoomName, Presence> rooms = new HashMap<>();

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
        connections.admit(user, connection, Integer.MAX_VALUE); // Redis applied the limit
    }

    /** Decides an admission on this node's view alone (Redis is down), and records it if granted. */
    synchronized boolean admitLocally(UserId user, ConnectionId connection, int maxPerUser) {
        return connections.admit(user, connection, maxPerUser);
    }

    synchronized void release(UserId user, ConnectionId connection) {
        connections.release(user, connection);
    }

    /** Records a join; answers what it changed in this node's view. */
    synchronized PresenceChange join(RoomName name, ConnectionId connection, User user) {
        return rooms.computeIfAbsent(name, key -> new Presence()).join(connection, user);
    }

    /** Records a leave; answers what it changed in this node's view. */
    synchronized PresenceChange leave(RoomName name, ConnectionId connection, UserId user) {
        Presence room = rooms.get(name);
        if (room == null) {
            return new PresenceChange.Unchanged(0);
        }
        PresenceChange change = room.leave(connection, user);
        if (room.isEmpty()) {
            rooms.remove(name);
        }
        return change;
    }

    /** This node's present users of a room, each once, in the order they arrived. */
    /** This node's rooms with members whose names start with {@code prefix}, by name. */
    synchronized List<RoomOccupancy> rooms(String prefix) {
        List<RoomOccupancy> occupied = new ArrayList<>();
        rooms.forEach((name, presence) -> {
            if (name.value().startsWith(prefix) && !presence.isEmpty()) {
                occupied.add(new RoomOccupancy(name, presence.count(), presence.memberships().size()));
            }
        });
        occupied.sort(Comparator.comparing(occupancy -> occupancy.room().value()));
        return occupied;
    }

    synchronized List<User> members(RoomName name) {
        Presence room = rooms.get(name);
        return room == null ? List.of() : room.members();
    }

    synchronized Snapshot snapshot() {
        Map<ConnectionId, UserId> admitted = new HashMap<>();
        connections.admitted().forEach((user, ids) -> ids.forEach(connection -> admitted.put(connection, user)));
        Map<String, Membership> memberships = new HashMap<>();
        rooms.forEach((room, presence) -> presence.memberships().forEach((connection, user) -> {
            Membership membership = new Membership(room, connection, user);
            memberships.put(membership.field(), membership);
        }));
        return new Snapshot(admitted, memberships);
    }
}
