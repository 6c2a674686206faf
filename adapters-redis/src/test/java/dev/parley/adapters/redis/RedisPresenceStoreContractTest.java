package dev.parley.adapters.redis;

import org.awaitility.Awaitility;

import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.PresenceStoreContract;
import org.junit.jupiter.api.AfterEach;

/** The presence contract on Redis: one node's store, its heartbeat running. */
class RedisPresenceStoreContractTest extends PresenceStoreContract {
    private final String prefix = TestRedis.uniquePrefix("presence-contract");
    private RedisFanOut fanOut;
    private RedisPresenceStore store;

    @Override
    protected PresenceStore createPresenceStore() {
        fanOut = new RedisFanOut(TestRedis.settings(prefix, "node-a")).start();
        store = new RedisPresenceStore(TestRedis.settings(prefix, "node-a"), fanOut).start();
        // Answers come from Redis once the first heartbeat registered the node.
        Awaitility.await().atMost(timeout()).until(store::registered);
        return store;
    }

    @AfterEach
    void closeStore() {
        // Nothing to close or delete when the set-up was skipped (no Redis) before it opened them.
        if (store != null) {
            store.close();
        }
        if (fanOut != null) {
            fanOut.close();
            TestRedis.deleteKeys(prefix);
        }
    }
}
