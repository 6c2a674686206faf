package dev.parley.bootstrap;

import dev.parley.adapters.postgres.PostgresSettings;
import dev.parley.adapters.redis.RedisSettings;
import dev.parley.adapters.websocket.OutboundLimits;
import dev.parley.domain.Limits;
import dev.parley.domain.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Every setting of a Parley node, after parsing (see {@link ParleyCommand} for names and defaults). */
public record ParleyConfig(
        String host,
        int port,
        NodeId nodeId,
        Optional<String> postgresUrl,
        int postgresWriters,
        Optional<String> redisUrl,
        Optional<String> redisCluster,
        Optional<String> jwtSecret,
        Optional<Path> jwtPublicKey,
        Optional<String> adminKey,
        List<String> allowedOrigins,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        Duration presenceTtl,
        int ratePerSecond,
        int rateBurst,
        Optional<Path> tlsCert,
        Optional<Path> tlsKey,
        int maxConnections,
        int historyRetention,
        Optional<Duration> historyMaxAge,
        OutboundLimits outboundLimits,
        Limits limits,
        Optional<PusherApp> pusher,
        Duration gapWait,
        Duration drainTimeout) {

    public ParleyConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nodeId, "nodeId");
        allowedOrigins = List.copyOf(allowedOrigins);
        Objects.requireNonNull(pusher, "pusher");
        if (postgresWriters < 1 || postgresWriters > PostgresSettings.MAX_WRITERS) {
            throw new IllegalArgumentException("PARLEY_POSTGRES_WRITERS must be from 1 to "
                    + PostgresSettings.MAX_WRITERS + ", not " + postgresWriters);
        }
        if (redisUrl.isPresent() && redisCluster.isPresent()) {
            throw new IllegalArgumentException("set PARLEY_REDIS_URL (one Redis server) or PARLEY_REDIS_CLUSTER "
                    + "(the seeds of a Redis Cluster), not both");
        }
        if (redisUrl.isPresent() && postgresUrl.isEmpty()) {
            throw new IllegalArgumentException("PARLEY_REDIS_URL needs PARLEY_POSTGRES_URL too: "
                    + "nodes must share one history to share sequences");
        }
        if (redisCluster.isPresent() && postgresUrl.isEmpty()) {
            throw new IllegalArgumentException("PARLEY_REDIS_CLUSTER needs PARLEY_POSTGRES_URL too: "
                    + "nodes must share one history to share sequences");
        }
        redisCluster.ifPresent(seeds -> {
            try {
                RedisSettings.Cluster.parse(seeds);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PARLEY_REDIS_CLUSTER: " + e.getMessage(), e);
            }
        });
        if (jwtSecret.isPresent() && jwtPublicKey.isPresent()) {
            throw new IllegalArgumentException("set PARLEY_JWT_SECRET or PARLEY_JWT_PUBLIC_KEY, not both");
        }
        if (tlsCert.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("PARLEY_TLS_CERT and PARLEY_TLS_KEY go together");
        }
        if (jwtSecret.isEmpty() && jwtPublicKey.isEmpty() && !isLoopback(host)) {
            throw new IllegalArgumentException("insecure-dev auth (no PARLEY_JWT_SECRET or PARLEY_JWT_PUBLIC_KEY) "
                    + "listens on loopback only, not on " + host + "; configure a JWT key to listen there");
        }
    }

    /** A configuration as the command line would make it: flags first, then PARLEY_* variables, then defaults. */
    public static ParleyConfig fromArgs(String... args) {
        return ParleyCommand.parse(args).toConfig();
    }

    /** Whether nodes share fan-out and presence in Redis (one server or a cluster). */
    public boolean sharesRedis() {
        return redisUrl.isPresent() || redisCluster.isPresent();
    }

    public boolean insecureDev() {
        return jwtSecret.isEmpty() && jwtPublicKey.isEmpty();
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
