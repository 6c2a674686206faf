package dev.parley.adapters.redis;

import dev.parley.domain.Backoff;
import dev.parley.domain.NodeId;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * How this node talks to Redis.
 *
 * @param uri            {@code redis://[user:password@]host:port[/db]}
 * @param keyPrefix      put before every key and channel name, so that several clusters (or test
 *                       runs) can share one Redis; pub/sub channels ignore the db number
 * @param node           this node, as other nodes see it
 * @param presenceTtl    a node whose heartbeat is older than this is dead: others remove its users
 * @param poolSize       pooled connections for commands (the subscriber has one of its own)
 * @param connectTimeout how long opening a connection may take
 * @param commandTimeout how long one command may take
 * @param reconnect      waits between attempts to reconnect the subscriber
 */
public record RedisSettings(URI uri, String keyPrefix, NodeId node, Duration presenceTtl, int poolSize,
                            Duration connectTimeout, Duration commandTimeout, Backoff reconnect) {
    public static final String DEFAULT_PREFIX = "parley:";

    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        Objects.requireNonNull(reconnect, "reconnect");
        if (!JedisURIHelper.isValid(uri) || !JedisURIHelper.isRedisScheme(uri)) {
            throw new IllegalArgumentException("not a Redis URL (redis://host:port or rediss://host:port): " + uri);
        }
        if (presenceTtl.toMillis() < 300) {
            throw new IllegalArgumentException("presence TTL must be at least 300 ms: " + presenceTtl);
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("pool size must be at least 2: " + poolSize);
        }
        if (node.value().contains(" ")) {
            throw new IllegalArgumentException("node id must not contain spaces: " + node);
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
        return new RedisSettings(uri, DEFAULT_PREFIX, node, presenceTtl, 16, Duration.ofSeconds(2),
                Duration.ofSeconds(2), new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5)));
    }

    public RedisSettings withKeyPrefix(String prefix) {
        return new RedisSettings(uri, prefix, node, presenceTtl, poolSize, connectTimeout, commandTimeout, reconnect);
    }

    public RedisSettings withPresenceTtl(Duration ttl) {
        return new RedisSettings(uri, keyPrefix, node, ttl, poolSize, connectTimeout, commandTimeout, reconnect);
    }

    public RedisSettings withTimeouts(Duration connect, Duration command) {
        return new RedisSettings(uri, keyPrefix, node, presenceTtl, poolSize, connect, command, reconnect);
    }

    public RedisSettings withUri(URI other) {
        return new RedisSettings(other, keyPrefix, node, presenceTtl, poolSize, connectTimeout, commandTimeout,
                reconnect);
    }

    /** How often a node proves it is alive and looks for dead ones: three times per TTL. */
    Duration heartbeatInterval() {
        return presenceTtl.dividedBy(3);
    }
}
