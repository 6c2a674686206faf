package dev.parley.adapters.redis;

import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * A connection that one thread reads (sharded pub/sub messages and replies, in arrival order)
 * while others send commands on it. Jedis's sharded pub/sub loop cannot be pinged (it rejects the
 * {@code pong} reply), so the cluster subscriber reads this connection itself.
 */
final class SubscriberConnection extends Connection {

    /** Connects at once. */
    SubscriberConnection(HostAndPort address, JedisClientConfig config) {
        super(address, config);
        setTimeoutInfinite();
    }

    /** Sends a command now; its reply arrives among what the reading thread reads. Callers serialise sends. */
    void send(ProtocolCommand command, byte[]... args) {
        sendCommand(command, args);
        flush();
    }
}
