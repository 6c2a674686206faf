package dev.parley.adapters.redis;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.util.SafeEncoder;

/**
 * The connections of one adapter to a Redis Cluster: Jedis's cluster client for commands (a pool
 * per Redis node; it learns the nodes from any seed, follows {@code MOVED} and {@code ASK}, and
 * refreshes its map of slots in the background), and dedicated connections to masters for
 * sharded subscribers. Creating it opens nothing: the client is made on first use, and again on
 * the next use after making it failed (no seed answered).
 */
final class ClusterConnector implements RedisCommands {
    private static final int SLOTS = 16_384;
    /** Retries of one command (a redirection, a node that failed over); a caller falls back after them. */
    private static final int MAX_ATTEMPTS = 3;

    private final RedisSettings settings;
    private final Set<HostAndPort> seeds;
    private final JedisClientConfig config;
    private final Object lock = new Object();
    private volatile ClusterConnectionProvider provider;
    private volatile RedisClusterClient client;
    private volatile boolean closed;

    ClusterConnector(RedisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seeds = new LinkedHashSet<>(((RedisSettings.Cluster) settings.endpoint()).seeds());
        this.config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) settings.connectTimeout().toMillis())
                .socketTimeoutMillis((int) settings.commandTimeout().toMillis())
                .autoNegotiateProtocol(false)
                .build();
    }

    @Override
    public <T> T run(Function<JedisCommands, T> call) {
        return call.apply(client());
    }

    private RedisClusterClient client() {
        RedisClusterClient current = client;
        if (current != null) {
            return current;
        }
        synchronized (lock) {
            if (closed) {
                throw new JedisConnectionException("the Redis Cluster connections are closed");
            }
            if (client == null) {
                GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
                pool.setMaxTotal(settings.poolSize());
                pool.setMaxIdle(settings.poolSize());
                pool.setMinIdle(0);
                pool.setMaxWait(settings.commandTimeout());
                pool.setTestWhileIdle(true);
                pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
                pool.setJmxEnabled(false);
                // Reads the slots from a seed (or throws); then re-reads them every command timeout.
                ClusterConnectionProvider made = new ClusterConnectionProvider(seeds, config, pool,
                        settings.commandTimeout());
                provider = made;
                client = RedisClusterClient.builder().nodes(seeds).clientConfig(config).connectionProvider(made)
                        .maxAttempts(MAX_ATTEMPTS).maxTotalRetriesDuration(settings.commandTimeout().multipliedBy(2))
                        .build();
            }
            return client;
        }
    }

    private ClusterConnectionProvider provider() {
        client();
        return provider;
    }

    /** The master that serves a slot as this client last saw the cluster; null while no node does. */
    HostAndPort masterOf(int slot) {
        return provider().getNode(slot);
    }

    /** Reads the cluster's slots again now (after a connection to a master failed, or a redirection). */
    void refreshTopology() {
        provider().renewSlotCache();
    }

    /** The masters that serve slots; one missing slot makes it fail, as the cluster itself would. */
    Set<HostAndPort> masters() {
        ClusterConnectionProvider current = provider();
        Set<HostAndPort> masters = new HashSet<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            HostAndPort master = current.getNode(slot);
            if (master == null) {
                throw new JedisClusterDownException("slot " + slot + " is served by no master");
            }
            masters.add(master);
        }
        return masters;
    }

    /** A pooled connection to one node; closing it gives it back. */
    Connection connection(HostAndPort node) {
        return provider().getConnection(node);
    }

    /** A sharded publish through the client, which follows a redirection to the slot's new master. */
    void spublish(byte[] channel, byte[] message) {
        client().spublish(channel, message);
    }

    /** Proves every master answers. */
    void pingMasters() {
        ClusterConnectionProvider current = provider();
        for (HostAndPort master : masters()) {
            try (Connection connection = current.getConnection(master)) {
                if (!connection.ping()) {
                    throw new JedisConnectionException("master " + master + " did not answer PING");
                }
            }
        }
    }

    /** The cluster's state as the first master that answers sees it. */
    ClusterInfo clusterInfo() {
        ClusterConnectionProvider current = provider();
        JedisException last = new JedisClusterDownException("no master answered CLUSTER INFO");
        for (HostAndPort master : masters()) {
            try (Connection connection = current.getConnection(master)) {
                Object reply = connection.executeCommand(new CommandArguments(Protocol.Command.CLUSTER).add("INFO"));
                return ClusterInfo.parse(SafeEncoder.encode((byte[]) reply));
            } catch (JedisException e) {
                last = e;
            }
        }
        throw last;
    }

    /** {@code CLUSTER INFO}: whether every slot is served, and the epoch that every failover raises. */
    record ClusterInfo(boolean ok, long epoch) {
        static ClusterInfo parse(String info) {
            boolean ok = false;
            long epoch = 0;
            for (String line : info.split("\r?\n")) {
                if (line.startsWith("cluster_state:")) {
                    ok = line.trim().endsWith(":ok");
                } else if (line.startsWith("cluster_current_epoch:")) {
                    epoch = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            return new ClusterInfo(ok, epoch);
        }
    }

    @Override
    public long publish(String channel, String message) {
        return client().publish(channel, message);
    }

    /** To the first master that serves a slot now (any node hears the cluster's classic publishes). */
    @Override
    public Jedis subscriberConnection(String clientName) {
        if (closed) {
            throw new JedisConnectionException("the Redis Cluster connections are closed");
        }
        HostAndPort master = masters().iterator().next();
        return new Jedis(master, DefaultJedisClientConfig.builder().from(config).clientName(clientName).build());
    }

    /** A connection of its own to a master, named {@code clientName} in {@code CLIENT LIST}, for a subscriber. */
    SubscriberConnection subscriber(HostAndPort master, String clientName) {
        if (closed) {
            throw new JedisConnectionException("the Redis Cluster connections are closed");
        }
        return new SubscriberConnection(master, DefaultJedisClientConfig.builder().from(config)
                .clientName(clientName).build());
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (client != null) {
                client.close(); // closes the provider it was built on
            }
        }
    }

    /** No master serves some slot: the cluster is down until a failover ends. */
    static final class JedisClusterDownException extends JedisException {
        JedisClusterDownException(String message) {
            super(message);
        }
    }
}
