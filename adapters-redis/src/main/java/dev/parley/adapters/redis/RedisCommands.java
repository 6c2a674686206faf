package dev.parley.adapters.redis;

import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.JedisCommands;

/**
 * Runs commands on Redis, whichever kind it is: on a pooled connection of one server, or on a
 * cluster client that sends each command to the master of its keys' slot (following {@code MOVED}
 * and {@code ASK}). Both throw a {@code JedisException} when Redis cannot answer.
 */
interface RedisCommands extends AutoCloseable {

    <T> T run(Function<JedisCommands, T> call);

    /** A classic {@code PUBLISH}; on a cluster every node relays it, so a subscriber on any node hears it. */
    long publish(String channel, String message);

    /** A connection of its own for a blocking classic {@code SUBSCRIBE}, named {@code clientName}. */
    Jedis subscriberConnection(String clientName);

    /** One server's connections, or a cluster's, as the settings say. Opens nothing yet. */
    static RedisCommands connect(RedisSettings settings) {
        return settings.isCluster() ? new ClusterConnector(settings) : new RedisConnector(settings);
    }

    @Override
    void close();
}
