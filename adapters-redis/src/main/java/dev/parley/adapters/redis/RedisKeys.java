package dev.parley.adapters.redis;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomName;
import dev.parley.domain.UserId;

/**
 * The names of every key and channel, under one prefix. Room names contain no space, so a
 * membership of one node is the field {@code "<room> <connection>"} of that node's hash.
 */
final class RedisKeys {
    private final String prefix;

    RedisKeys(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** The pub/sub channel of a room's events. */
    String channel(RoomName room) {
        return prefix + "ch:" + room.value();
    }

    /** The channel every subscriber connection subscribes first: it is never empty. */
    String controlChannel(String node) {
        return prefix + "ctl:" + node;
    }

    /** The room a channel carries, or null for another channel. */
    String roomOfChannel(String channel) {
        String head = prefix + "ch:";
        return channel.startsWith(head) ? channel.substring(head.length()) : null;
    }

    String nodes() {
        return prefix + "nodes";
    }

    String alive(String node) {
        return prefix + "node:" + node + ":alive";
    }

    /** Hash: connection -> user, the connections a node admitted. */
    String nodeConnections(String node) {
        return prefix + "node:" + node + ":conns";
    }

    /** Hash: {@code "<room> <connection>"} -> user, the room memberships a node holds. */
    String nodeMembers(String node) {
        return prefix + "node:" + node + ":members";
    }

    /** Hash: connection -> node, a user's connections on every node. */
    String userConnections(UserId user) {
        return prefix + "user:" + user.value() + ":conns";
    }

    /** What the keys of rooms start with, the room's name following. */
    String roomsPrefix() {
        return prefix + "room:";
    }

    /** The end of a room's connections key: every room with members has one. */
    static final String ROOM_CONNECTIONS = ":conns";

    /** The five keys of a room's presence, in the order the scripts take them. */
    String[] room(RoomName room) {
        String base = prefix + "room:" + room.value();
        return new String[] {
            base + ROOM_CONNECTIONS, // hash connection -> user
            base + ":users",    // hash user -> connections present
            base + ":names",    // hash user -> display name
            base + ":order",    // sorted set user by arrival
            base + ":arrivals", // counter of arrivals
        };
    }

    static String memberField(RoomName room, ConnectionId connection) {
        return memberField(room, connection.value());
    }

    static String memberField(RoomName room, String connection) {
        return room.value() + " " + connection;
    }
}
