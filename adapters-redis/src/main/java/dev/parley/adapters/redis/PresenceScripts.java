package dev.parley.adapters.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua scripts that change presence, each one atomic on the Redis server: a user's transition
 * (first connection in, last out) is decided by exactly one caller, whichever node it runs on.
 * Scripts that add entries for a node refuse (answer -1) while that node's heartbeat key is
 * missing, and those that remove a dead node's entries refuse once it is back, so a node and the
 * nodes cleaning up after it never undo each other's work.
 *
 * <p>On a Redis Cluster a script may touch the keys of one slot only, and a room's, a user's and a
 * node's keys are in different slots ({@link RedisKeys}). There, a change is one script on the
 * room's (or user's) slot and one on the node's slot, and the node's index is written before the
 * room's entry and removed after it, so that a crash between the two leaves nothing the index
 * does not know about. Instead of the heartbeat key, which lives in another slot, each entry
 * names the run of the node that wrote it (a token, renewed whenever its heartbeat lapsed): a
 * node cleaning up after a dead one removes only the entries of the run it found dead.
 *
 * <p>JOIN, LEAVE and ADMIT, and their cluster forms ROOM_JOIN, ROOM_LEAVE and USER_ADMIT, are the
 * atomic twin of the domain's rules ({@code Presence}, {@code UserConnections});
 * {@code PresenceRulesTwinTest} holds both forms to the same answers.
 */
final class PresenceScripts {

    /**
     * KEYS: user's connections, node's connections, node's alive key.
     * ARGV: connection, limit, node, user, force ("1": no limit, to restore an admission).
     * Answers 1 admitted, 0 refused, -1 node not alive.
     */
    static final Script ADMIT = new Script("""
            if redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
              if ARGV[5] ~= '1' and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
            return 1
            """);

    /**
     * KEYS: user's connections, node's connections, node's alive key.
     * ARGV: connection, only-if-dead ("1").
     * Answers 1 released (or not there), -1 the node is alive again.
     */
    static final Script RELEASE = new Script("""
            if ARGV[2] == '1' and redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[2], ARGV[1])
            return 1
            """);

    /**
     * KEYS: the five room keys ({@link RedisKeys#room}), node's memberships, node's alive key.
     * ARGV: connection, user, display name, membership field.
     * Answers {1, count} the user arrived, {0, count} unchanged, {-1, 0} node not alive.
     */
    static final Script JOIN = new Script("""
            if redis.call('EXISTS', KEYS[7]) == 0 then return {-1, 0} end
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current then
              if current == ARGV[2] then redis.call('HSET', KEYS[3], ARGV[2], ARGV[3]) end
              return {0, redis.call('ZCARD', KEYS[4])}
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[6], ARGV[4], ARGV[2])
            redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
            if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
              redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[2])
              return {1, redis.call('ZCARD', KEYS[4])}
            end
            return {0, redis.call('ZCARD', KEYS[4])}
            """);

    /**
     * KEYS: the five room keys, node's memberships, node's alive key.
     * ARGV: connection, user, membership field, only-if-dead ("1").
     * Answers {1, count, name} the user left, {0, count} unchanged, {-1, 0} the node is alive again.
     */
    static final Script LEAVE = new Script("""
            if ARGV[4] == '1' and redis.call('EXISTS', KEYS[7]) == 1 then return {-1, 0} end
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
              if redis.call('HGET', KEYS[6], ARGV[3]) == ARGV[2] then redis.call('HDEL', KEYS[6], ARGV[3]) end
              return {0, redis.call('ZCARD', KEYS[4])}
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[6], ARGV[3])
            if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) > 0 then return {0, redis.call('ZCARD', KEYS[4])} end
            redis.call('HDEL', KEYS[2], ARGV[2])
            redis.call('ZREM', KEYS[4], ARGV[2])
            local name = redis.call('HGET', KEYS[3], ARGV[2]) or ARGV[2]
            redis.call('HDEL', KEYS[3], ARGV[2])
            local count = redis.call('ZCARD', KEYS[4])
            if count == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]) end
            return {1, count, name}
            """);

    /** KEYS: a room's order and names. Answers id, name, id, name... in arrival order. */
    static final Script MEMBERS = new Script("""
            local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
            local out = {}
            for i = 1, #ids do
              out[2 * i - 1] = ids[i]
              out[2 * i] = redis.call('HGET', KEYS[2], ids[i]) or ids[i]
            end
            return out
            """);

    /**
     * KEYS: the node set, the node's alive key, its connections, its memberships. ARGV: node.
     * Forgets a dead node whose entries are all gone. Answers 1 forgotten, 0 not (yet).
     */
    static final Script FORGET = new Script("""
            if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
            if redis.call('HLEN', KEYS[3]) > 0 or redis.call('HLEN', KEYS[4]) > 0 then return 0 end
            redis.call('SREM', KEYS[1], ARGV[1])
            return 1
            """);

    // --- Redis Cluster --------------------------------------------------------------------------

    /**
     * KEYS: the six room keys ({@link RedisKeys#room} on a cluster). ARGV: connection, user,
     * display name, owner (the node's token). JOIN without the node's keys.
     * Answers {1, count} the user arrived, {0, count} unchanged.
     */
    static final Script ROOM_JOIN = new Script("""
            local current = redis.call('HGET', KEYS[1], ARGV[1])
            if current then
              if current == ARGV[2] then
                redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
                redis.call('HSET', KEYS[6], ARGV[1], ARGV[4])
              end
              return {0, redis.call('ZCARD', KEYS[4])}
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('HSET', KEYS[6], ARGV[1], ARGV[4])
            redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
            if redis.call('HINCRBY', KEYS[2], ARGV[2], 1) == 1 then
              redis.call('ZADD', KEYS[4], redis.call('INCR', KEYS[5]), ARGV[2])
              return {1, redis.call('ZCARD', KEYS[4])}
            end
            return {0, redis.call('ZCARD', KEYS[4])}
            """);

    /**
     * KEYS: the six room keys. ARGV: connection, user, fence ({@code ""}: the owner leaves; else
     * the token of a dead run, whose entry only is removed). LEAVE without the node's keys.
     * Answers {1, count, name} the user left, {0, count} unchanged, {-1, 0} a later run owns it.
     */
    static final Script ROOM_LEAVE = new Script("""
            local owner = redis.call('HGET', KEYS[6], ARGV[1])
            if ARGV[3] ~= '' and owner and owner ~= ARGV[3] then return {-1, 0} end
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return {0, redis.call('ZCARD', KEYS[4])} end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('HDEL', KEYS[6], ARGV[1])
            if redis.call('HINCRBY', KEYS[2], ARGV[2], -1) > 0 then return {0, redis.call('ZCARD', KEYS[4])} end
            redis.call('HDEL', KEYS[2], ARGV[2])
            redis.call('ZREM', KEYS[4], ARGV[2])
            local name = redis.call('HGET', KEYS[3], ARGV[2]) or ARGV[2]
            redis.call('HDEL', KEYS[3], ARGV[2])
            local count = redis.call('ZCARD', KEYS[4])
            if count == 0 then redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]) end
            return {1, count, name}
            """);

    /**
     * KEYS: user's connections. ARGV: connection, limit, owner (the node's token), force ("1": no
     * limit, to restore an admission). ADMIT without the node's keys. Answers 1 admitted, 0 refused.
     */
    static final Script USER_ADMIT = new Script("""
            if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and ARGV[4] ~= '1'
                and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
            return 1
            """);

    /**
     * KEYS: user's connections. ARGV: connection, fence (as ROOM_LEAVE's).
     * Answers 1 released (or not there), -1 a later run owns it.
     */
    static final Script USER_RELEASE = new Script("""
            local owner = redis.call('HGET', KEYS[1], ARGV[1])
            if ARGV[2] ~= '' and owner and owner ~= ARGV[2] then return -1 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            return 1
            """);

    /**
     * KEYS: node's alive key, one of the node's index hashes. ARGV: field, value.
     * Answers 1 added, 0 was there, -1 node not alive.
     */
    static final Script NODE_INDEX_ADD = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
            return redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            """);

    /** KEYS: node's alive key, one of its index hashes. ARGV: field. Answers 1 removed, -1 the node is alive again. */
    static final Script NODE_INDEX_REMOVE_IF_DEAD = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
            redis.call('HDEL', KEYS[2], ARGV[1])
            return 1
            """);

    /**
     * KEYS: node's alive key, token, connections, memberships. What a dead node left, read at the
     * moment it is dead: nil while alive, else {token, connections (field, value...), memberships}.
     */
    static final Script DEAD_NODE = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return false end
            return {redis.call('GET', KEYS[2]) or '', redis.call('HGETALL', KEYS[3]), redis.call('HGETALL', KEYS[4])}
            """);

    /**
     * KEYS: node's alive key, token, connections, memberships. Drops the token of a dead node
     * whose entries are all gone; answers 1 (it may be forgotten) or 0.
     */
    static final Script FORGETTABLE = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            if redis.call('HLEN', KEYS[3]) > 0 or redis.call('HLEN', KEYS[4]) > 0 then return 0 end
            redis.call('DEL', KEYS[2])
            return 1
            """);

    private PresenceScripts() {
    }

    /**
     * A script run by its SHA-1, sent in full only when the server does not know it (after a
     * restart, or on a replica promoted to master).
     */
    record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }

        /** On a cluster, the keys must share a slot: the client sends the script to that slot's master. */
        Object run(JedisCommands redis, List<String> keys, List<String> args) {
            try {
                return redis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                return redis.eval(source, keys, args);
            }
        }

        private static String sha1(String source) {
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is missing from this JVM", e);
            }
        }
    }
}
