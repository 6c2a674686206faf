package dev.parley.adapters.redis;

import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeDirectoryContract;
import org.junit.jupiter.api.AfterEach;

/** The node list on a real Redis (its subclass: on a Redis Cluster). */
class RedisNodeDirectoryTest extends NodeDirectoryContract {
    private final String prefix = TestRedis.uniquePrefix("nodes");
    private RedisNodeDirectory directory;

    @Override
    protected NodeDirectory createDirectory() {
        directory = new RedisNodeDirectory(settings(prefix).withPresenceTtl(TTL));
        return directory;
    }

    RedisSettings settings(String prefix) {
        return TestRedis.settings(prefix, "node-a");
    }

    void deleteKeys(String prefix) {
        TestRedis.deleteKeys(prefix);
    }

    @AfterEach
    void close() {
        if (directory != null) {
            directory.close();
            deleteKeys(prefix);
        }
    }
}
