package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.NodeSignals;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signals to every node over a real Redis: each node, the sender included, hears each signal once. */
class RedisNodeSignalsTest {
    private final String prefix = TestRedis.uniquePrefix("signals");
    private RedisNodeSignals first;
    private RedisNodeSignals second;

    @AfterEach
    void close() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void given_two_nodes_when_one_signals_then_both_hear_it_once() {
        first = new RedisNodeSignals(TestRedis.settings(prefix, "node-a"));
        second = new RedisNodeSignals(TestRedis.settings(prefix, "node-b"));
        List<NodeSignals.Signal> heardByFirst = new CopyOnWriteArrayList<>();
        List<NodeSignals.Signal> heardBySecond = new CopyOnWriteArrayList<>();
        first.subscribe(heardByFirst::add);
        second.subscribe(heardBySecond::add);
        NodeSignals.Signal signal = new NodeSignals.DisconnectUser(UserId.of("alice@example"));

        // The subscriptions are made in the background: signal until the second node hears.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (heardBySecond.isEmpty()) {
                first.publish(signal).join();
            }
            return !heardBySecond.isEmpty();
        });

        assertThat(heardBySecond).allMatch(signal::equals);
        await().atMost(Duration.ofSeconds(15)).until(() -> heardByFirst.size() == heardBySecond.size());
    }
}
