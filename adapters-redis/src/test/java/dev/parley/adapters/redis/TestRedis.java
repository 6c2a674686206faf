package dev.parley.adapters.redis;

import dev.parley.domain.NodeId;
import dev.parley.testsupport.TestServices;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the tests run against, found by {@link TestServices} (the variable, the local default,
 * Docker; else failed on CI and skipped loudly elsewhere: docs/architecture.md, "Tests"). The server is
 * shared with other test runs: every test works under a key prefix of its own and deletes only
 * its own keys.
 */
final class TestRedis {
    private TestRedis() {
    }

    /** The Redis URL, or a failed (CI) or skipped (elsewhere) test. */
    static String url() {
        return TestServices.redisUrl();
    }

    /** A key prefix no other test or run uses. */
    static String uniquePrefix(String label) {
        return "parley-test:" + label + ":" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + ":";
    }

    /** Settings for a test node: its own prefix, short timeouts and a short presence TTL. */
    static RedisSettings settings(String prefix, String node) {
        return RedisSettings.of(url(), NodeId.of(node), Duration.ofSeconds(3))
                .withKeyPrefix(prefix)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    static Jedis connect() {
        return new Jedis(URI.create(url()));
    }

    /** Deletes every key under the prefix. */
    static void deleteKeys(String prefix) {
        try (Jedis jedis = connect()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(500));
                List<String> found = new ArrayList<>(page.getResult());
                if (!found.isEmpty()) {
                    jedis.del(found.toArray(new String[0]));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    /** Kills the connections named {@code clientName}, as an operator's {@code CLIENT KILL} would; how many. */
    static int killClients(String clientName) {
        int killed = 0;
        try (Jedis jedis = connect()) {
            for (String line : jedis.clientList().split("\n")) {
                if (line.contains(" name=" + clientName + " ")) {
                    String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                    killed += (int) jedis.clientKill(new redis.clients.jedis.params.ClientKillParams().id(id));
                }
            }
        }
        return killed;
    }
}
