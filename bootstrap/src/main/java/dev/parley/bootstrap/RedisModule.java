package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.parley.adapters.redis.RedisFanOut;
import dev.parley.adapters.redis.RedisNodeDirectory;
import dev.parley.adapters.redis.RedisNodeSignals;
import dev.parley.adapters.redis.RedisPresenceStore;
import dev.parley.adapters.redis.RedisSettings;
import dev.parley.adapters.websocket.http.HealthCheck;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.PresenceStore;

/**
 * Fan-out and presence across nodes in Redis: one server ({@code PARLEY_REDIS_URL}) or a Redis
 * Cluster ({@code PARLEY_REDIS_CLUSTER}); it goes with the shared PostgreSQL history. Its health
 * check {@code redis} says DEGRADED while Redis (or, on a cluster, any of its slots) is out of
 * reach: the node keeps serving its own connections. The adapters connect when the server starts
 * and first needs them; the module itself does no I/O.
 */
final class RedisModule extends AbstractModule {
    private static final String REDIS = "redis";

    private final ParleyConfig config;

    RedisModule(ParleyConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding()
                .to(Key.get(HealthCheck.class, Names.named(REDIS)));
    }

    static RedisSettings settings(ParleyConfig config) {
        if (config.redisCluster().isPresent()) {
            return RedisSettings.cluster(config.redisCluster().get(), config.nodeId(), config.presenceTtl());
        }
        String url = config.redisUrl().orElseThrow(() -> new IllegalStateException("no PARLEY_REDIS_URL"));
        return RedisSettings.of(url, config.nodeId(), config.presenceTtl());
    }

    @Provides
    @Singleton
    RedisFanOut redisFanOut() {
        return new RedisFanOut(settings(config)).start();
    }

    @Provides
    @Singleton
    FanOut fanOut(RedisFanOut fanOut) {
        return fanOut;
    }

    @Provides
    @Singleton
    NodeSignals signals() {
        return new RedisNodeSignals(settings(config));
    }

    @Provides
    @Singleton
    NodeDirectory directory() {
        return new RedisNodeDirectory(settings(config));
    }

    @Provides
    @Singleton
    RedisPresenceStore redisPresence(RedisFanOut fanOut) {
        return new RedisPresenceStore(settings(config), fanOut).start();
    }

    @Provides
    @Singleton
    PresenceStore presence(RedisPresenceStore presence) {
        return presence;
    }

    @Provides
    @Singleton
    @Named(REDIS)
    HealthCheck redisHealth(RedisFanOut fanOut, RedisPresenceStore presence) {
        return new RedisHealth(fanOut, presence);
    }

    static String describe(ParleyConfig config) {
        return config.redisCluster().isPresent() ? "fan-out=redis-cluster presence=redis-cluster"
                : "fan-out=redis presence=redis";
    }

    /**
     * DEGRADED, never DOWN: without Redis the node still serves its own members. On a cluster,
     * also while a slot has no master (a failover under way) or a room's subscription waits for one.
     */
    private record RedisHealth(RedisFanOut fanOut, RedisPresenceStore presence) implements HealthCheck {
        @Override
        public String name() {
            return REDIS;
        }

        @Override
        public Status status() {
            return fanOut.healthy() && presence.healthy() ? Status.UP : Status.DEGRADED;
        }
    }
}
