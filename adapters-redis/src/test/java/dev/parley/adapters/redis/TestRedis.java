package dev.parley.adapters.redis;

import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.domain.NodeId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis the tests run against: {@code PARLEY_TEST_REDIS_URL}. Without it the tests fail when
 * {@code CI=true} and are skipped, loudly, otherwise (ARCHITECTURE.md, "Tests"). The server is
 * shared with other test runs: every test works under a key prefix of its own and deletes only
 * its own keys.
 */
final class TestRedis {
    static final String URL_VARIABLE = "PARLEY_TEST_REDIS_URL";

    private TestRedis() {
    }

    /** The Redis URL, or a failed (CI) or skipped (elsewhere) test. */
    static String url() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return url;
        }
        String message = URL_VARIABLE + " is not set: the Redis adapter's tests need a Redis, e.g. "
                + URL_VARIABLE + "=redis://127.0.0.1:6379";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: failing instead of skipping)");
        }
        System.err.println("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n"
                + "!!! SKIPPED: " + message + "\n"
                + "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
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
