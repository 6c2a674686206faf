package dev.parley.adapters.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * The Lua scripts that change presence, each one atomic on the Redis server: a user's transition
 * (first connection in, last out) is decided by exactly one caller, whichever node it runs on.
 * Scripts that add entries for a node refuse (answer -1) while that node's heartbeat key is
 * missing, and those that remove a dead node's entries refuse once it is back, so a node and the
 * nodes cleaning up after it never undo each other's work.
 *
 * <p>JOIN, LEAVE and ADMIT are the atomic twin of the domain's rules ({@code Presence},
 * {@code UserConnections}); {@code PresenceRulesTwinTest} holds them to the same answers.
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

    private PresenceScripts() {
    }

    /** A script run by its SHA-1, sent in full only when the server does not know it (after a restart, say). */
    record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }

        Object run(Jedis jedis, List<String> keys, List<String> args) {
            try {
                return jedis.evalsha(sha, keys, args);
            } catch (JedisNoScriptException e) {
                return jedis.eval(source, keys, args);
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
