package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.PresenceStoreContract;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/** The presence contract on a Redis Cluster: one node's store, its heartbeat running, keys over all shards. */
class ClusterPresenceStoreContractTest extends PresenceStoreContract {
    private final String prefix = TestRedis.uniquePrefix("cluster-presence-contract");
    private RedisFanOut fanOut;
    private RedisPresenceStore store;

    @Override
    protected PresenceStore createPresenceStore() {
        fanOut = new RedisFanOut(TestCluster.settings(prefix, "node-a")).start();
        store = new RedisPresenceStore(TestCluster.settings(prefix, "node-a"), fanOut).start();
        Awaitility.await().atMost(timeout()).until(store::registered);
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            // The answers came from the cluster's scripts, not from the node's own view.
            assertThat(store.healthy()).as("the store reached every shard throughout").isTrue();
            store.close();
        }
        if (fanOut != null) {
            fanOut.close();
            TestCluster.deleteKeys(prefix);
        }
    }
}
