package dev.parley.adapters.redis;

import dev.parley.domain.NodeId;
import dev.parley.testsupport.TestRedisCluster;
import java.time.Duration;
import java.util.HashSet;
import redis.clients.jedis.RedisClusterClient;

/**
 * The Redis Cluster the cluster tests run against: six {@code redis-server} processes started
 * once per JVM ({@link TestRedisCluster#shared()}). As with {@link TestRedis}, every test works
 * under a key prefix of its own and deletes only its own keys.
 */
final class TestCluster {
    private TestCluster() {
    }

    static TestRedisCluster cluster() {
        return TestRedisCluster.shared();
    }

    /** Settings for a test node on the cluster: its own prefix, short timeouts and a short presence TTL. */
    static RedisSettings settings(String prefix, String node) {
        return RedisSettings.cluster(cluster().seeds(), NodeId.of(node), Duration.ofSeconds(3))
                .withKeyPrefix(prefix)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    /** A client of the test's own, to read what the adapters wrote. */
    static RedisClusterClient client() {
        return RedisClusterClient.create(new HashSet<>(cluster().nodes()));
    }

    static void deleteKeys(String prefix) {
        cluster().deleteKeys(prefix);
    }
}
