package dev.parley.adapters.redis;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import dev.parley.domain.UserId;
import java.util.Arrays;

/**
 * The names of every key and channel, under one prefix. Room names contain no space, so a
 * membership of one node is the field {@code "<room> <connection>"} of that node's hash.
 *
 * <p>On a Redis Cluster the room, user or node a key belongs to is a hash tag ({@code
 * room:{lobby}:conns}): a room's keys and its channel share one slot, so do a user's and a node's,
 * and each script touches the keys of one slot only. On one server the names carry no braces.
 */
final class RedisKeys {
    private final String prefix;
    private final boolean cluster;

    RedisKeys(String prefix) {
        this(prefix, false);
    }

    RedisKeys(String prefix, boolean cluster) {
        this.prefix = prefix;
        this.cluster = cluster;
    }

    String prefix() {
        return prefix;
    }

    private String tag(String owner) {
        return cluster ? "{" + owner + "}" : owner;
    }

    /** The pub/sub channel of a room's events (a sharded channel on a cluster). */
    String channel(RoomName room) {
        return prefix + "ch:" + tag(room.value());
    }

    /** The channel every subscriber connection subscribes first: it is never empty. One server only. */
    String controlChannel(String node) {
        return prefix + "ctl:" + node;
    }

    /** The room a channel carries, or null for another channel. */
    String roomOfChannel(String channel) {
        String head = prefix + "ch:";
        if (!channel.startsWith(head)) {
            return null;
        }
        String room = channel.substring(head.length());
        if (cluster) {
            return room.length() > 2 && room.startsWith("{") && room.endsWith("}")
                    ? room.substring(1, room.length() - 1) : null;
        }
        return room;
    }

    String nodes() {
        return prefix + "nodes";
    }

    String alive(String node) {
        return prefix + "node:" + tag(node) + ":alive";
    }

    /** Hash: connection -> user, the connections a node admitted. */
    String nodeConnections(String node) {
        return prefix + "node:" + tag(node) + ":conns";
    }

    /** Hash: {@code "<room> <connection>"} -> user, the room memberships a node holds. */
    String nodeMembers(String node) {
        return prefix + "node:" + tag(node) + ":members";
    }

    /**
     * The token of a node's current run (cluster only): what its entries in rooms and users carry,
     * so that a node cleaning up after it removes that run's entries and never a later run's.
     */
    String nodeToken(String node) {
        return prefix + "node:" + tag(node) + ":token";
    }

    /** Hash: connection -> node (on a cluster: node token), a user's connections on every node. */
    String userConnections(UserId user) {
        return prefix + "user:" + tag(user.value()) + ":conns";
    }

    /** A SCAN pattern for the connections keys of the rooms whose names start with {@code namePrefix}. */
    String roomsPattern(String namePrefix) {
        String glob = escapeGlob(namePrefix) + "*";
        return prefix + "room:" + (cluster ? "{" + glob + "}" : glob) + ROOM_CONNECTIONS;
    }

    /** The room whose connections key this is, or null for another key. */
    String roomOfConnectionsKey(String key) {
        String head = prefix + "room:";
        if (!key.startsWith(head) || !key.endsWith(ROOM_CONNECTIONS)) {
            return null;
        }
        String room = key.substring(head.length(), key.length() - ROOM_CONNECTIONS.length());
        if (cluster) {
            return room.length() > 2 && room.startsWith("{") && room.endsWith("}")
                    ? room.substring(1, room.length() - 1) : null;
        }
        return room;
    }

    private static String escapeGlob(String literal) {
        return literal.replaceAll("([\\\\*?\\[\\]])", "\\\\$1");
    }

    /** The end of a room's connections key: every room with members has one. */
    static final String ROOM_CONNECTIONS = ":conns";

    /**
     * The keys of a room's presence, in the order the scripts take them: five, and on a cluster a
     * sixth, the owner (node token) of each connection.
     */
    String[] room(RoomName room) {
        String base = prefix + "room:" + tag(room.value());
        String[] keys = {
            base + ROOM_CONNECTIONS, // hash connection -> user
            base + ":users",    // hash user -> connections present
            base + ":names",    // hash user -> display name
            base + ":order",    // sorted set user by arrival
            base + ":arrivals", // counter of arrivals
            base + ":owners",   // hash connection -> node token (cluster)
        };
        return cluster ? keys : Arrays.copyOf(keys, 5);
    }

    static String memberField(RoomName room, ConnectionId connection) {
        return memberField(room, connection.value());
    }

    static String memberField(RoomName room, String connection) {
        return room.value() + " " + connection;
    }
}
