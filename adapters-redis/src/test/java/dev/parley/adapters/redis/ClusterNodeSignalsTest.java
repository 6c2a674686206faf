package dev.parley.adapters.redis;

/** Node signals on a Redis Cluster: classic publishes, which every node of the cluster relays. */
class ClusterNodeSignalsTest extends RedisNodeSignalsTest {
    @Override
    RedisSettings settings(String prefix, String node) {
        return TestCluster.settings(prefix, node);
    }
}
