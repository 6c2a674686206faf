package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.NodeId;
import dev.parley.domain.RoomName;
import dev.parley.domain.UserId;
import java.time.Instant;
import java.util.UUID;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signals to every node over a real Redis (its subclass: a Redis Cluster): each node, the sender included, hears each signal once. */
class RedisNodeSignalsTest {
    private final String prefix = TestRedis.uniquePrefix("signals");
    private RedisNodeSignals first;
    private RedisNodeSignals second;

    RedisSettings settings(String prefix, String node) {
        return TestRedis.settings(prefix, node);
    }

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
        first = new RedisNodeSignals(settings(prefix, "node-a"));
        second = new RedisNodeSignals(settings(prefix, "node-b"));
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

    @Test
    void given_a_question_and_an_answer_with_connections_when_sent_then_they_arrive_whole() {
        first = new RedisNodeSignals(settings(prefix, "node-a"));
        second = new RedisNodeSignals(settings(prefix, "node-b"));
        List<NodeSignals.Signal> heard = new CopyOnWriteArrayList<>();
        second.subscribe(heard::add);
        UUID request = UUID.randomUUID();
        NodeSignals.Signal question = new NodeSignals.FindConnections(request, UserId.of("ann"));
        NodeSignals.Signal answer = new NodeSignals.ConnectionsFound(request, NodeId.of("node-a"), List.of(
                new UserConnection(ConnectionId.of("c-1"), NodeId.of("node-a"), Instant.ofEpochMilli(1_700_000_000_123L),
                        List.of(RoomName.of("lobby"), RoomName.of("private:pusher:presence-x"))),
                new UserConnection(ConnectionId.of("c-2"), NodeId.of("node-a"), Instant.ofEpochMilli(1_700_000_000_456L),
                        List.of())));

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (heard.isEmpty()) {
                first.publish(question).join();
            }
            return !heard.isEmpty();
        });
        first.publish(answer).join();

        await().atMost(Duration.ofSeconds(15)).until(() -> heard.contains(answer));
        assertThat(heard).contains(question);
    }
}
