package dev.parley.adapters.redis;

import dev.parley.domain.Backoff;
import dev.parley.domain.NodeId;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How this node talks to Redis.
 *
 * @param endpoint       one Redis server, or the seed nodes of a Redis Cluster
 * @param keyPrefix      put before every key and channel name, so that several clusters (or test
 *                       runs) can share one Redis; pub/sub channels ignore the db number
 * @param node           this node, as other nodes see it
 * @param presenceTtl    a node whose heartbeat is older than this is dead: others remove its users
 * @param poolSize       pooled connections for commands (per Redis node in a cluster; subscribers
 *                       have connections of their own)
 * @param connectTimeout how long opening a connection may take
 * @param commandTimeout how long one command may take
 * @param reconnect      waits between attempts to reconnect a subscriber
 */
public record RedisSettings(Endpoint endpoint, String keyPrefix, NodeId node, Duration presenceTtl, int poolSize,
                            Duration connectTimeout, Duration commandTimeout, Backoff reconnect) {
    public static final String DEFAULT_PREFIX = "parley:";

    /** Where Redis is. */
    public sealed interface Endpoint permits Server, Cluster {
    }

    /** One Redis server (or a primary that Sentinel or DNS fails over): {@code redis://[user:password@]host:port[/db]}. */
    public record Server(URI uri) implements Endpoint {
        public Server {
            Objects.requireNonNull(uri, "uri");
            if (!JedisURIHelper.isValid(uri) || !JedisURIHelper.isRedisScheme(uri)) {
                throw new IllegalArgumentException("not a Redis URL (redis://host:port or rediss://host:port): " + uri);
            }
        }
    }

    /** A Redis Cluster (Redis 7+): any reachable seed suffices, the other nodes are found from it. */
    public record Cluster(List<HostAndPort> seeds) implements Endpoint {
        public Cluster {
            seeds = List.copyOf(seeds);
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("a Redis Cluster needs at least one host:port seed");
            }
        }

        /** {@code host:port,host:port,...} */
        public static Cluster parse(String seeds) {
            Objects.requireNonNull(seeds, "seeds");
            try {
                return new Cluster(Arrays.stream(seeds.split(",")).map(String::trim).filter(seed -> !seed.isEmpty())
                        .map(Cluster::seed).toList());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a comma list of host:port seeds: '" + seeds + "' ("
                        + e.getMessage() + ")", e);
            }
        }

        private static HostAndPort seed(String seed) {
            int colon = seed.lastIndexOf(':');
            if (colon <= 0 || colon == seed.length() - 1) {
                throw new IllegalArgumentException(seed + " has no host:port form");
            }
            int port;
            try {
                port = Integer.parseInt(seed.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(seed + " has no port number", e);
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(seed + " has no port number");
            }
            return new HostAndPort(seed.substring(0, colon), port);
        }
    }

    public RedisSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(reconnect, "reconnect");
        if (presenceTtl.toMillis() < 300) {
            throw new IllegalArgumentException("presence TTL must be at least 300 ms: " + presenceTtl);
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("pool size must be at least 2: " + poolSize);
        }
        if (node.value().contains(" ")) {
            throw new IllegalArgumentException("node id must not contain spaces: " + node);
        }
        // Braces would move the hash tags that keep a room's, a user's or a node's keys in one slot.
        if (endpoint instanceof Cluster && (hasBrace(node.value()) || hasBrace(keyPrefix))) {
            throw new IllegalArgumentException("with a Redis Cluster, the node id and key prefix must not contain"
                    + " braces: " + node + ", " + keyPrefix);
        }
    }

    /** Production defaults: prefix {@value #DEFAULT_PREFIX}, 16 pooled connections, 2 s timeouts. */
    public static RedisSettings of(String url, NodeId node, Duration presenceTtl) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis URL: " + url, e);
        }
        return defaults(new Server(uri), node, presenceTtl);
    }

    /** A Redis Cluster from its seeds ({@code host:port,host:port,...}), with the defaults of {@link #of}. */
    public static RedisSettings cluster(String seeds, NodeId node, Duration presenceTtl) {
        return defaults(Cluster.parse(seeds), node, presenceTtl);
    }

    private static RedisSettings defaults(Endpoint endpoint, NodeId node, Duration presenceTtl) {
        return new RedisSettings(endpoint, DEFAULT_PREFIX, node, presenceTtl, 16, Duration.ofSeconds(2),
                Duration.ofSeconds(2), new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)));
    }

    public RedisSettings withKeyPrefix(String prefix) {
        return new RedisSettings(endpoint, prefix, node, presenceTtl, poolSize, connectTimeout, commandTimeout,
                reconnect);
    }

    public RedisSettings withPresenceTtl(Duration ttl) {
        return new RedisSettings(endpoint, keyPrefix, node, ttl, poolSize, connectTimeout, commandTimeout, reconnect);
    }

    public RedisSettings withTimeouts(Duration connect, Duration command) {
        return new RedisSettings(endpoint, keyPrefix, node, presenceTtl, poolSize, connect, command, reconnect);
    }

    public RedisSettings withUri(URI other) {
        return new RedisSettings(new Server(other), keyPrefix, node, presenceTtl, poolSize, connectTimeout,
                commandTimeout, reconnect);
    }

    public boolean isCluster() {
        return endpoint instanceof Cluster;
    }

    /** The server's URL; only for {@link Server} settings. */
    URI uri() {
        return ((Server) endpoint).uri();
    }

    /** How often a node proves it is alive and looks for dead ones: three times per TTL. */
    Duration heartbeatInterval() {
        return presenceTtl.dividedBy(3);
    }

    private static boolean hasBrace(String text) {
        return text.indexOf('{') >= 0 || text.indexOf('}') >= 0;
    }
}
