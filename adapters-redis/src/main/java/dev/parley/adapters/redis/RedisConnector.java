package dev.parley.adapters.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The connections of one adapter to one Redis server: a pool for commands, and dedicated
 * connections for a blocking subscriber. Creating it opens nothing.
 */
final class RedisConnector implements RedisCommands {
    private final RedisSettings settings;
    private final JedisPool pool;

    RedisConnector(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        GenericObjectPoolConfig<Jedis> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(settings.poolSize());
        config.setMaxIdle(settings.poolSize());
        config.setMinIdle(0);
        // A caller waits at most this long for a free connection, then fails like a timeout.
        config.setMaxWait(settings.commandTimeout());
        config.setTestWhileIdle(true);
        config.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        config.setJmxEnabled(false);
        this.pool = new JedisPool(config, settings.uri(), (int) settings.connectTimeout().toMillis(),
                (int) settings.commandTimeout().toMillis());
    }

    /** A pooled connection; closing it gives it back (or drops it when it broke). */
    Jedis pooled() {
        return pool.getResource();
    }

    @Override
    public <T> T run(Function<JedisCommands, T> call) {
        try (Jedis jedis = pool.getResource()) {
            return call.apply(jedis);
        }
    }

    /**
     * A connection of its own, named {@code clientName} in {@code CLIENT LIST}, for a blocking
     * subscribe. Its read timeout is lifted by the subscribe itself.
     */
    Jedis dedicated(String clientName) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis((int) settings.commandTimeout().toMillis())
                .clientName(clientName)
                .autoNegotiateProtocol(false)
                .database(JedisURIHelper.getDBIndex(settings.uri()))
                .ssl(settings.uri().getScheme().equals("rediss"));
        String user = JedisURIHelper.getUser(settings.uri());
        String password = JedisURIHelper.getPassword(settings.uri());
        if (user != null) {
            config.user(user);
        }
        if (password != null) {
            config.password(password);
        }
        return new Jedis(JedisURIHelper.getHostAndPort(settings.uri()), config.build());
    }

    @Override
    public long publish(String channel, String message) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.publish(channel, message);
        }
    }

    @Override
    public Jedis subscriberConnection(String clientName) {
        return dedicated(clientName);
    }

    @Override
    public void close() {
        pool.close();
    }
}
