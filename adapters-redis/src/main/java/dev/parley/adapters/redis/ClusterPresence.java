package dev.parley.adapters.redis;

import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.params.SetParams;

/**
 * Presence on a Redis Cluster. A room's keys share the slot of {@code {room}}, a user's that of
 * {@code {user}}, a node's that of {@code {node}}; a script touches one slot, so a change is two
 * steps ({@link PresenceScripts}, "Redis Cluster"):
 *
 * <ul>
 *   <li>adding: the node's index entry first, refused while the node's heartbeat key is missing;
 *       then the room's (or user's) entry, which names the node's current run (its token);</li>
 *   <li>removing: the room's (or user's) entry first, then the index entry; a node cleaning up
 *       after a dead one passes the dead run's token as a fence, so an entry a later run wrote
 *       again is left alone, and removes index entries only while the node is still dead.</li>
 * </ul>
 *
 * Replication in a cluster is asynchronous: a failover may lose the last writes. Every failover
 * raises the cluster's epoch; when a heartbeat sees it rise, each node writes all its entries
 * again ({@link #mayHaveLostWrites}, {@link #rewritesAll}).
 */
final class ClusterPresence implements PresenceLayout {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceStore.class);

    private final ClusterConnector cluster;
    private final RedisKeys keys;
    private final String node;
    /** This node's current run, as the heartbeat renews it. */
    private final Supplier<String> token;
    private long epoch = -1;
    private volatile boolean serving = true;

    ClusterPresence(ClusterConnector cluster, RedisKeys keys, String node, Supplier<String> token) {
        this.cluster = cluster;
        this.keys = keys;
        this.node = node;
        this.token = token;
    }

    // --- one connection's calls ----------------------------------------------------------------------

    @Override
    public RedisKeys keys() {
        return keys;
    }

    @Override
    public long admit(JedisCommands redis, UserId user, String connection, int maxPerUser) {
        long indexed = indexAdd(redis, keys.nodeConnections(node), connection, user.value());
        if (indexed < 0) {
            return -1;
        }
        long answer = (Long) PresenceScripts.USER_ADMIT.run(redis, List.of(keys.userConnections(user)),
                List.of(connection, Integer.toString(maxPerUser), token.get(), "0"));
        if (answer == 0 && indexed == 1) {
            redis.hdel(keys.nodeConnections(node), connection);
        }
        return answer;
    }

    /** As one server's forced ADMIT: nothing when the heartbeat key is missing; the next heartbeat sees the lapse. */
    @Override
    public void restoreAdmission(JedisCommands redis, UserId user, String connection) {
        if (indexAdd(redis, keys.nodeConnections(node), connection, user.value()) < 0) {
            return;
        }
        PresenceScripts.USER_ADMIT.run(redis, List.of(keys.userConnections(user)),
                List.of(connection, "0", token.get(), "1"));
    }

    @Override
    public void release(JedisCommands redis, String user, String connection) {
        PresenceScripts.USER_RELEASE.run(redis, List.of(keys.userConnections(UserId.of(user))), List.of(connection, ""));
        redis.hdel(keys.nodeConnections(node), connection);
    }

    @Override
    public List<?> join(JedisCommands redis, RoomName room, String connection, User user) {
        String field = RedisKeys.memberField(room, connection);
        if (indexAdd(redis, keys.nodeMembers(node), field, user.id().value()) < 0) {
            return List.of(-1L, 0L);
        }
        return (List<?>) PresenceScripts.ROOM_JOIN.run(redis, Arrays.asList(keys.room(room)),
                List.of(connection, user.id().value(), StoredUser.encode(user), token.get()));
    }

    @Override
    public List<?> leave(JedisCommands redis, RoomName room, String connection, String user) {
        List<?> answer = (List<?>) PresenceScripts.ROOM_LEAVE.run(redis, Arrays.asList(keys.room(room)),
                List.of(connection, user, ""));
        String field = RedisKeys.memberField(room, connection);
        // As one server's LEAVE: the index entry goes only with the membership it indexes.
        if (user.equals(redis.hget(keys.nodeMembers(node), field))) {
            redis.hdel(keys.nodeMembers(node), field);
        }
        return answer;
    }

    @Override
    public List<User> members(JedisCommands redis, RoomName room) {
        return PresenceLayout.members(redis, keys.room(room));
    }

    private long indexAdd(JedisCommands redis, String index, String field, String value) {
        return (Long) PresenceScripts.NODE_INDEX_ADD.run(redis, List.of(keys.alive(node), index),
                List.of(field, value));
    }

    // --- the node --------------------------------------------------------------------------------------

    @Override
    public String beat(JedisCommands redis, String ofNode, String value, long ttlMillis) {
        return redis.setGet(keys.alive(ofNode), value, SetParams.setParams().px(ttlMillis));
    }

    /** The token first: a registered node always has one for those who clean up after it. */
    @Override
    public void register(JedisCommands redis, String ofNode, String value) {
        redis.set(keys.nodeToken(ofNode), value);
        redis.sadd(keys.nodes(), ofNode);
    }

    @Override
    public boolean rewritesAll() {
        return true;
    }

    /** Read in one script while the node is dead, with the token of the run that died. */
    @Override
    public DeadNode deadNode(JedisCommands redis, String dead) {
        Object answer = PresenceScripts.DEAD_NODE.run(redis, nodeKeys(dead), List.of());
        if (!(answer instanceof List<?> parts)) {
            return null;
        }
        return new DeadNode(dead, (String) parts.get(0),
                new Entries(pairs((List<?>) parts.get(2)), pairs((List<?>) parts.get(1))));
    }

    @Override
    public List<?> leaveOfDead(JedisCommands redis, DeadNode dead, RoomName room, String connection, String user) {
        List<?> answer = (List<?>) PresenceScripts.ROOM_LEAVE.run(redis, Arrays.asList(keys.room(room)),
                List.of(connection, user, dead.fence()));
        if ((Long) answer.get(0) < 0 || indexRemoveIfDead(redis, dead.node(), keys.nodeMembers(dead.node()),
                RedisKeys.memberField(room, connection)) < 0) {
            return List.of(-1L, 0L);
        }
        return answer;
    }

    @Override
    public long releaseOfDead(JedisCommands redis, DeadNode dead, String user, String connection) {
        long answer = (Long) PresenceScripts.USER_RELEASE.run(redis, List.of(keys.userConnections(UserId.of(user))),
                List.of(connection, dead.fence()));
        if (answer < 0) {
            return -1;
        }
        return indexRemoveIfDead(redis, dead.node(), keys.nodeConnections(dead.node()), connection);
    }

    private long indexRemoveIfDead(JedisCommands redis, String ofNode, String index, String field) {
        return (Long) PresenceScripts.NODE_INDEX_REMOVE_IF_DEAD.run(redis, List.of(keys.alive(ofNode), index),
                List.of(field));
    }

    /**
     * The node set lives in another slot than the node's keys: removed after the check, and put
     * back if the node's heartbeat came back meanwhile (a node sets its key before it registers).
     */
    @Override
    public void forget(JedisCommands redis, String dead) {
        if ((Long) PresenceScripts.FORGETTABLE.run(redis, nodeKeys(dead), List.of()) == 1) {
            redis.srem(keys.nodes(), dead);
            if (redis.exists(keys.alive(dead))) {
                redis.sadd(keys.nodes(), dead);
            }
        }
    }

    @Override
    public void retire(JedisCommands redis, String ofNode) {
        redis.del(keys.alive(ofNode));
        redis.del(keys.nodeToken(ofNode));
        redis.srem(keys.nodes(), ofNode);
    }

    private List<String> nodeKeys(String ofNode) {
        return List.of(keys.alive(ofNode), keys.nodeToken(ofNode), keys.nodeConnections(ofNode),
                keys.nodeMembers(ofNode));
    }

    private static Map<String, String> pairs(List<?> flat) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            map.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return map;
    }

    // --- the cluster -----------------------------------------------------------------------------------

    /** Called by the heartbeat only (one thread). */
    @Override
    public boolean mayHaveLostWrites() {
        ClusterConnector.ClusterInfo info = cluster.clusterInfo();
        serving = info.ok();
        boolean raised = epoch >= 0 && info.epoch() > epoch;
        if (raised) {
            LOG.info("the Redis Cluster's epoch rose from {} to {} (a failover or a slot move): writing this node's"
                    + " presence again, in case a failover lost some of it", epoch, info.epoch());
        }
        epoch = Math.max(epoch, info.epoch());
        return raised;
    }

    @Override
    public boolean outagesAreShared() {
        return true;
    }

    @Override
    public boolean serving() {
        return serving;
    }
}
