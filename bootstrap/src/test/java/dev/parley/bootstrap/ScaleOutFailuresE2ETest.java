package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.testing.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes of one cluster when something breaks: the pub/sub connection killed mid-stream, Redis
 * away and back, a node killed without any cleanup (docs/protocol.md guarantees 4 and 5).
 */
class ScaleOutFailuresE2ETest {
    private final ScaleOut cluster = new ScaleOut();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TestClient::close);
        cluster.close();
    }

    private TestClient connect(int port, String user) {
        TestClient client = ScaleOut.connect(port, user);
        clients.add(client);
        return client;
    }

    @Test
    void given_chats_flowing_across_nodes_when_a_nodes_subscriber_connection_is_killed_then_no_member_loses_a_message()
            throws Exception {
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        String room = E2E.room("killed");
        TestClient publisher = connect(a.port(), E2E.user("publisher"));
        TestClient onA = connect(a.port(), E2E.user("on-a"));
        TestClient onB = connect(b.port(), E2E.user("on-b"));
        for (TestClient member : List.of(publisher, onA, onB)) {
            member.join(room);
        }
        int total = 300;

        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= total; i++) {
                publisher.chat(room, "message " + i);
            }
        });
        await().atMost(ScaleOut.PATIENCE).until(() -> onB.chatSeqs(room).size() >= total / 3);
        assertThat(cluster.killSubscriber("b")).isEqualTo(1);
        await().atMost(ScaleOut.PATIENCE).until(() -> onB.chatSeqs(room).size() >= total / 2);
        assertThat(cluster.killSubscriber("a")).isEqualTo(1);
        sending.get(ScaleOut.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        List<Long> expected = LongStream.rangeClosed(1, total).boxed().collect(Collectors.toList());
        for (TestClient member : List.of(publisher, onA, onB)) {
            await().atMost(ScaleOut.PATIENCE).until(() -> member.chatSeqs(room).size() >= total);
            assertThat(member.chatSeqs(room)).isEqualTo(expected);
        }
        // The last messages may have gone out while b was resubscribing: it caught up from history.
        assertThat(ScaleOut.health(b.port())).contains("\"redis\":\"UP\"");
    }

    @Test
    void given_redis_away_when_members_chat_then_connections_stay_up_the_node_serves_its_own_members_and_all_heals_when_it_returns()
            throws Exception {
        try (TcpProxy redis = TcpProxy.to(cluster.redisUrl, 6379).start()) {
            RunningServer a = cluster.startVia(redis.redirect(cluster.redisUrl), "a");
            RunningServer b = cluster.start("b");
            String room = E2E.room("outage");
            TestClient alice = connect(a.port(), E2E.user("alice"));
            TestClient amy = connect(a.port(), E2E.user("amy"));
            TestClient bob = connect(b.port(), E2E.user("bob"));
            for (TestClient member : List.of(alice, amy, bob)) {
                member.join(room);
            }
            alice.chat(room, "before");
            bob.awaitSeq(room, 1);

            redis.stop();
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.health(a.port()).contains("\"redis\":\"DEGRADED\""));
            assertThat(E2E.get(a.port(), "/health").statusCode()).isEqualTo(200);
            alice.chat(room, "during 2");
            alice.chat(room, "during 3");
            amy.awaitSeq(room, 3);
            // Typing reaches this node's members without Redis, so it is not answered unavailable.
            String typingId = alice.send("typing", alice.nextId(), Map.of("room", room, "active", true));
            amy.await(frame -> TestClient.type(frame).equals("typing"));
            alice.request("ping", Map.of());
            assertThat(alice.received("error")).as("errors of alice").noneMatch(
                    frame -> frame.path("replyTo").asText().equals(typingId));
            TestClient late = connect(a.port(), E2E.user("late")); // admitted on this node's own view
            late.join(room);
            alice.chat(room, "during 4");
            late.awaitSeq(room, 4);
            assertThat(alice.isOpen() && amy.isOpen()).isTrue();

            redis.start();
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.health(a.port()).contains("\"redis\":\"UP\""));
            bob.awaitSeq(room, 4); // what b missed, from history
            alice.chat(room, "after 5");
            for (TestClient member : List.of(alice, amy, bob, late)) {
                member.awaitSeq(room, 5); // each connection is sent to on its own: no order between them
            }
            for (TestClient member : List.of(alice, amy, bob)) {
                assertThat(member.chatSeqs(room)).containsExactly(1L, 2L, 3L, 4L, 5L);
            }
            assertThat(late.chatSeqs(room)).containsExactly(4L, 5L);
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.members(b.port(), room).size() == 4);
            clients.forEach(TestClient::close);
            a.close(); // while Redis is there, so that it leaves nothing behind
        }
    }

    @Test
    void given_a_node_killed_without_cleanup_when_its_heartbeat_expires_then_the_others_send_one_leave_per_user_and_no_ghost_remains()
            throws Exception {
        RunningServer a = cluster.start("a");
        RunningServer c = cluster.start("c");
        ScaleOut.NodeProcess doomed = cluster.startProcess("doomed");
        int doomedPort = doomed.port();
        String room = E2E.room("dead-node");
        String zed = E2E.user("zed");
        String both = E2E.user("both");
        TestClient amy = connect(a.port(), E2E.user("amy"));
        TestClient carl = connect(c.port(), E2E.user("carl"));
        amy.join(room);
        carl.join(room);
        connect(doomedPort, zed).join(room);
        connect(doomedPort, zed).join(room); // a second tab on the same node
        connect(doomedPort, both).join(room);
        connect(a.port(), both).join(room);
        for (TestClient observer : List.of(amy, carl)) {
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.presence(observer, room)
                    .containsAll(List.of("join " + zed, "join " + both)));
        }

        long killedAt = System.nanoTime();
        doomed.kill();

        Duration limit = ScaleOut.TTL.plusSeconds(5);
        for (TestClient observer : List.of(amy, carl)) {
            await().atMost(limit).until(() -> ScaleOut.presence(observer, room).contains("leave " + zed));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(limit);
        // Once the dead node is forgotten nothing of it is left to remove: no later leave can come.
        await().atMost(ScaleOut.PATIENCE).until(() -> !cluster.isKnownNode("doomed"));
        ScaleOut.awaitMarkers(room, List.of(amy, carl), List.of(amy, carl));
        for (TestClient observer : List.of(amy, carl)) {
            List<String> heard = ScaleOut.presence(observer, room);
            assertThat(heard).filteredOn(event -> event.endsWith(" " + zed))
                    .containsExactly("join " + zed, "leave " + zed);
            assertThat(heard).doesNotContain("leave " + both);
        }
        assertThat(ScaleOut.members(a.port(), room)).doesNotContain(zed).contains(both);
        assertThat(ScaleOut.members(c.port(), room)).doesNotContain(zed).contains(both);
    }
}
