package dev.parley.adapters.redis;

import java.util.function.Function;
import redis.clients.jedis.commands.JedisCommands;

/**
 * Runs commands on Redis, whichever kind it is: on a pooled connection of one server, or on a
 * cluster client that sends each command to the master of its keys' slot (following {@code MOVED}
 * and {@code ASK}). Both throw a {@code JedisException} when Redis cannot answer.
 */
interface RedisCommands extends AutoCloseable {

    <T> T run(Function<JedisCommands, T> call);

    @Override
    void close();
}
