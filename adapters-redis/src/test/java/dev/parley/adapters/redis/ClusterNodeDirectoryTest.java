package dev.parley.adapters.redis;

/** The node list on a Redis Cluster: both of its keys on the shard of the {@code {nodes}} tag. */
class ClusterNodeDirectoryTest extends RedisNodeDirectoryTest {
    @Override
    RedisSettings settings(String prefix) {
        return TestCluster.settings(prefix, "node-a");
    }

    @Override
    void deleteKeys(String prefix) {
        TestCluster.deleteKeys(prefix);
    }
}
