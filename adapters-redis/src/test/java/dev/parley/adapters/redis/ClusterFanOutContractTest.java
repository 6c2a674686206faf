package dev.parley.adapters.redis;

import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.FanOutContract;
import dev.parley.domain.RoomName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The fan-out contract on a Redis Cluster's sharded pub/sub: two nodes, each with its own connections. */
class ClusterFanOutContractTest extends FanOutContract {
    private final String prefix = TestRedis.uniquePrefix("cluster-fanout-contract");
    private final List<AutoCloseable> opened = new ArrayList<>();
    private FanOut other;

    @Override
    protected FanOut createFanOut() {
        return node("node-a");
    }

    @Override
    protected FanOut otherNode() {
        if (other == null) {
            other = node("node-b");
        }
        return other;
    }

    @Override
    protected void awaitSubscribed(FanOut node, RoomName room) {
        await().atMost(timeout()).until(() -> ((RedisFanOut) node).isLive(room));
    }

    private RedisFanOut node(String name) {
        RedisFanOut fanOut = new RedisFanOut(TestCluster.settings(prefix, name)).start();
        opened.add(fanOut);
        return fanOut;
    }

    @AfterEach
    void closeNodes() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }
}
