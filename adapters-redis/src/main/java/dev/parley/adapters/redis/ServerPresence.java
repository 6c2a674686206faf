package dev.parley.adapters.redis;

import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.params.SetParams;

/**
 * Presence on one Redis server: every change is one atomic script over the room's or user's keys,
 * the node's index and its heartbeat key. Scripts that add a node's entries refuse while its
 * heartbeat key is missing; those that remove a dead node's refuse once it is back.
 */
final class ServerPresence implements PresenceLayout {
    private final RedisKeys keys;
    private final String node;

    ServerPresence(RedisKeys keys, String node) {
        this.keys = keys;
        this.node = node;
    }

    @Override
    public RedisKeys keys() {
        return keys;
    }

    @Override
    public long admit(JedisCommands redis, UserId user, String connection, int maxPerUser) {
        return admit(redis, user, connection, Integer.toString(maxPerUser), "0");
    }

    @Override
    public void restoreAdmission(JedisCommands redis, UserId user, String connection) {
        admit(redis, user, connection, "0", "1");
    }

    private long admit(JedisCommands redis, UserId user, String connection, String limit, String force) {
        return (Long) PresenceScripts.ADMIT.run(redis,
                List.of(keys.userConnections(user), keys.nodeConnections(node), keys.alive(node)),
                List.of(connection, limit, node, user.value(), force));
    }

    @Override
    public void release(JedisCommands redis, String user, String connection) {
        release(redis, user, connection, node, false);
    }

    @Override
    public List<?> join(JedisCommands redis, RoomName room, String connection, User user) {
        List<String> scriptKeys = new ArrayList<>(Arrays.asList(keys.room(room)));
        scriptKeys.add(keys.nodeMembers(node));
        scriptKeys.add(keys.alive(node));
        return (List<?>) PresenceScripts.JOIN.run(redis, scriptKeys,
                List.of(connection, user.id().value(), StoredUser.encode(user), RedisKeys.memberField(room, connection)));
    }

    @Override
    public List<?> leave(JedisCommands redis, RoomName room, String connection, String user) {
        return leave(redis, room, connection, user, node, false);
    }

    @Override
    public List<User> members(JedisCommands redis, RoomName room) {
        return PresenceLayout.members(redis, keys.room(room));
    }

    private List<?> leave(JedisCommands redis, RoomName room, String connection, String user, String ofNode,
                          boolean onlyIfDead) {
        List<String> scriptKeys = new ArrayList<>(Arrays.asList(keys.room(room)));
        scriptKeys.add(keys.nodeMembers(ofNode));
        scriptKeys.add(keys.alive(ofNode));
        return (List<?>) PresenceScripts.LEAVE.run(redis, scriptKeys,
                List.of(connection, user, RedisKeys.memberField(room, connection), onlyIfDead ? "1" : "0"));
    }

    private long release(JedisCommands redis, String user, String connection, String ofNode, boolean onlyIfDead) {
        return (Long) PresenceScripts.RELEASE.run(redis,
                List.of(keys.userConnections(UserId.of(user)), keys.nodeConnections(ofNode), keys.alive(ofNode)),
                List.of(connection, onlyIfDead ? "1" : "0"));
    }

    @Override
    public String beat(JedisCommands redis, String node, String token, long ttlMillis) {
        return redis.setGet(keys.alive(node), token, SetParams.setParams().px(ttlMillis));
    }

    @Override
    public void register(JedisCommands redis, String node, String token) {
        redis.sadd(keys.nodes(), node);
    }

    @Override
    public boolean rewritesAll() {
        return false;
    }

    /** Read apart from the scripts that remove it: those refuse if the node is back meanwhile. */
    @Override
    public DeadNode deadNode(JedisCommands redis, String dead) {
        return new DeadNode(dead, "", entries(redis, dead));
    }

    @Override
    public List<?> leaveOfDead(JedisCommands redis, DeadNode dead, RoomName room, String connection, String user) {
        return leave(redis, room, connection, user, dead.node(), true);
    }

    @Override
    public long releaseOfDead(JedisCommands redis, DeadNode dead, String user, String connection) {
        return release(redis, user, connection, dead.node(), true);
    }

    @Override
    public void forget(JedisCommands redis, String dead) {
        PresenceScripts.FORGET.run(redis,
                List.of(keys.nodes(), keys.alive(dead), keys.nodeConnections(dead), keys.nodeMembers(dead)),
                List.of(dead));
    }

    @Override
    public void retire(JedisCommands redis, String ofNode) {
        redis.del(keys.alive(ofNode));
        redis.srem(keys.nodes(), ofNode);
    }

    @Override
    public boolean mayHaveLostWrites() {
        return false;
    }

    @Override
    public boolean outagesAreShared() {
        return false;
    }

    @Override
    public boolean serving() {
        return true;
    }
}
