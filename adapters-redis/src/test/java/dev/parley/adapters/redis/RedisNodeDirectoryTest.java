package dev.parley.adapters.redis;

import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeDirectoryContract;
import org.junit.jupiter.api.AfterEach;

/** The node list on a real Redis. */
class RedisNodeDirectoryTest extends NodeDirectoryContract {
    private final String prefix = TestRedis.uniquePrefix("nodes");
    private RedisNodeDirectory directory;

    @Override
    protected NodeDirectory createDirectory() {
        directory = new RedisNodeDirectory(TestRedis.settings(prefix, "node-a").withPresenceTtl(TTL));
        return directory;
    }

    @AfterEach
    void close() {
        if (directory != null) {
            directory.close();
            TestRedis.deleteKeys(prefix);
        }
    }
}
