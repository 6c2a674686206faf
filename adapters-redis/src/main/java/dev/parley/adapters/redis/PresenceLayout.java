package dev.parley.adapters.redis;

import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.commands.JedisCommands;

/**
 * How presence is written in Redis: on one server, each change is one atomic script over the
 * room's (or user's) keys and the node's ({@link ServerPresence}); on a Redis Cluster, one script
 * on the room's slot and one on the node's, with entries fenced by the run of the node that
 * wrote them ({@link ClusterPresence}). The rules in the scripts are the same
 * ({@link PresenceScripts}); {@link RedisPresenceStore} and {@link PresenceHeartbeat} use this and
 * nothing else of Redis.
 */
interface PresenceLayout {
    /** The key names this layout writes. */
    RedisKeys keys();


    /** A node's entries as Redis holds them: memberships {@code "<room> <connection>"} -> user, connections -> user. */
    record Entries(Map<String, String> memberships, Map<String, String> connections) {
        boolean isEmpty() {
            return memberships.isEmpty() && connections.isEmpty();
        }
    }

    /** What a dead node left, and the fence that removes only that (a later run of the node keeps its own). */
    record DeadNode(String node, String fence, Entries entries) {
    }

    // --- one connection's calls (this node's own entries) --------------------------------------------

    /** 1 admitted, 0 refused, -1 this node's heartbeat key is missing. */
    long admit(JedisCommands redis, UserId user, String connection, int maxPerUser);

    /** Puts back an admission this node holds, whatever the limit (a resync). */
    void restoreAdmission(JedisCommands redis, UserId user, String connection);

    void release(JedisCommands redis, String user, String connection);

    /** {1, count} the user arrived, {0, count} unchanged, {-1, 0} this node's heartbeat key is missing. */
    List<?> join(JedisCommands redis, RoomName room, String connection, User user);

    /** {1, count, name} the user left, {0, count} unchanged. */
    List<?> leave(JedisCommands redis, RoomName room, String connection, String user);

    /** A room's present users, each once, in arrival order. */
    List<User> members(JedisCommands redis, RoomName room);

    /** The members of the room whose keys ({@link RedisKeys#room}) these are. */
    static List<User> members(JedisCommands redis, String[] roomKeys) {
        List<?> flat = (List<?>) PresenceScripts.MEMBERS.run(redis, List.of(roomKeys[3], roomKeys[2]), List.of());
        List<User> members = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            members.add(StoredUser.decode(UserId.of((String) flat.get(i)), (String) flat.get(i + 1)));
        }
        return members;
    }

    // --- the node: heartbeat, its index, dead nodes ---------------------------------------------------

    /** Sets the node's heartbeat key to {@code token} for {@code ttlMillis}; answers the value it had. */
    String beat(JedisCommands redis, String node, String token, long ttlMillis);

    /** Registers the node (after its heartbeat key is set) among those that may have entries. */
    void register(JedisCommands redis, String node, String token);

    /** The node's entries as its index in Redis lists them. */
    default Entries entries(JedisCommands redis, String node) {
        return new Entries(redis.hgetAll(keys().nodeMembers(node)), redis.hgetAll(keys().nodeConnections(node)));
    }

    /**
     * Whether a resync writes every entry of the node again, not only the missing ones: on a
     * cluster, so that each carries the node's current token and a failover's losses come back.
     */
    boolean rewritesAll();

    default Set<String> nodes(JedisCommands redis) {
        return redis.smembers(keys().nodes());
    }

    default boolean alive(JedisCommands redis, String node) {
        return redis.exists(keys().alive(node));
    }

    /** What a node that is dead now left; null when it is alive. */
    DeadNode deadNode(JedisCommands redis, String node);

    /** Like {@link #leave}, for a dead node's entry; {-1, 0} when the node (or a later run of it) is back. */
    List<?> leaveOfDead(JedisCommands redis, DeadNode dead, RoomName room, String connection, String user);

    /** Like {@link #release}, for a dead node's entry; -1 when the node (or a later run of it) is back. */
    long releaseOfDead(JedisCommands redis, DeadNode dead, String user, String connection);

    /** Drops a dead node whose entries are all gone from the registered ones. */
    void forget(JedisCommands redis, String node);

    /** Drops this node's heartbeat key and registration at a graceful stop. */
    void retire(JedisCommands redis, String node);

    // --- the Redis deployment ------------------------------------------------------------------------

    /**
     * Whether Redis may have lost acknowledged writes since the last call (a cluster's failover:
     * replication is asynchronous); then every node writes its entries again.
     */
    boolean mayHaveLostWrites();

    /** Whether Redis serves every key now (a cluster with every slot served). */
    boolean serving();

    /**
     * Whether an outage this node saw was most likely seen by every node (a cluster failing over
     * refuses every command, so no node could renew its heartbeat): then this node judges other
     * nodes dead only a TTL after the outage, once they had the time to beat again. One server
     * keeps judging at once, as it always did.
     */
    boolean outagesAreShared();
}
