package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes in this JVM on one Redis and one PostgreSQL, real WebSocket clients on each: what a
 * member on one node sees of what happens on the other (docs/protocol.md guarantees 2, 4 and 5).
 * {@link ClusterScaleOutE2ETest} runs the same cases on a Redis Cluster.
 */
class ScaleOutE2ETest {
    private final ScaleOut cluster = scaleOut();

    /** The nodes' Redis: one server here. */
    ScaleOut scaleOut() {
        return new ScaleOut();
    }
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TestClient::close);
        cluster.close();
    }

    private TestClient connect(RunningServer node, String user) {
        TestClient client = ScaleOut.connect(node, user);
        clients.add(client);
        return client;
    }

    @Test
    void given_a_member_on_each_node_when_one_chats_and_types_then_the_other_gets_it_and_presence_spans_both_nodes() {
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        String room = E2E.room("lobby");
        String alice = E2E.user("alice");
        String bob = E2E.user("bob");
        TestClient onA = connect(a, alice);
        TestClient onB = connect(b, bob);
        onA.join(room);
        JsonNode bobsAck = onB.join(room);
        assertThat(bobsAck.path("presence").findValuesAsText("id")).containsExactly(alice, bob);
        await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.presence(onA, room).equals(List.of("join " + bob)));

        JsonNode ack = onA.chat(room, "hello from a");
        onA.send("typing", null, Map.of("room", room, "active", true));

        JsonNode message = onB.awaitChat(room);
        assertThat(message.path("seq").asLong()).isEqualTo(ack.path("seq").asLong());
        assertThat(message.path("text").asText()).isEqualTo("hello from a");
        assertThat(message.path("from").path("id").asText()).isEqualTo(alice);
        JsonNode typing = onB.await(frame -> TestClient.type(frame).equals("typing")).get("payload");
        assertThat(typing.path("user").path("id").asText()).isEqualTo(alice);
        assertThat(typing.path("active").asBoolean()).isTrue();
        assertThat(ScaleOut.members(a.port(), room)).containsExactly(alice, bob);
        assertThat(ScaleOut.members(b.port(), room)).containsExactly(alice, bob);
        assertThat(ScaleOut.health(b.port())).contains("\"redis\":\"UP\"");

        onB.leave(room);
        await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.presence(onA, room).equals(
                List.of("join " + bob, "leave " + bob)));
        assertThat(onA.received("typing")).as("the typing connection does not hear itself").isEmpty();
    }

    @Test
    void given_two_publishers_on_each_of_two_nodes_when_each_sends_100_then_every_member_on_every_node_gets_all_400_in_order()
            throws Exception {
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        String room = E2E.room("busy");
        List<TestClient> publishers = List.of(connect(a, E2E.user("pa")), connect(a, E2E.user("pb")),
                connect(b, E2E.user("pc")), connect(b, E2E.user("pd")));
        List<TestClient> listeners = List.of(connect(a, E2E.user("la")), connect(b, E2E.user("lb")));
        List<TestClient> members = new ArrayList<>(publishers);
        members.addAll(listeners);
        for (TestClient member : members) {
            member.join(room);
        }

        ExecutorService senders = Executors.newFixedThreadPool(publishers.size());
        try {
            List<Future<List<Long>>> acked = new ArrayList<>();
            for (TestClient publisher : publishers) {
                acked.add(senders.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 1; i <= 100; i++) {
                        seqs.add(publisher.chat(room, "message " + i).path("seq").asLong());
                    }
                    return seqs;
                }));
            }
            List<Long> allAcked = new ArrayList<>();
            for (Future<List<Long>> seqs : acked) {
                allAcked.addAll(seqs.get(ScaleOut.PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
            }
            assertThat(allAcked).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 400).boxed().toList());
        } finally {
            senders.shutdownNow();
        }

        List<Long> expected = LongStream.rangeClosed(1, 400).boxed().collect(Collectors.toList());
        for (TestClient member : members) {
            await().atMost(ScaleOut.PATIENCE).until(() -> member.chatSeqs(room).size() >= 400);
            assertThat(member.chatSeqs(room)).as("strictly increasing, gap-free, no duplicate")
                    .isEqualTo(expected);
        }
    }

    @Test
    void given_a_user_with_a_tab_on_each_node_when_one_tab_goes_then_no_leave_until_the_last_tab_goes() {
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        String room = E2E.room("tabs");
        String both = E2E.user("both");
        TestClient amy = connect(a, E2E.user("amy"));
        TestClient carl = connect(b, E2E.user("carl"));
        carl.join(room);
        amy.join(room);
        TestClient tabOnA = connect(a, both);
        TestClient tabOnB = connect(b, both);
        tabOnA.join(room);
        tabOnB.join(room);

        tabOnA.leave(room);
        tabOnA.close();
        ScaleOut.awaitMarkers(room, List.of(amy, carl), List.of(amy, carl));

        for (TestClient observer : List.of(amy, carl)) {
            assertThat(presenceOf(observer, room, both)).containsExactly("join " + both);
        }
        assertThat(ScaleOut.members(a.port(), room)).contains(both);

        tabOnB.close();

        for (TestClient observer : List.of(amy, carl)) {
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.presence(observer, room).contains("leave " + both));
        }
        ScaleOut.awaitMarkers(room, List.of(amy, carl), List.of(amy, carl));
        for (TestClient observer : List.of(amy, carl)) {
            assertThat(presenceOf(observer, room, both)).containsExactly("join " + both, "leave " + both);
        }
        assertThat(ScaleOut.members(b.port(), room)).doesNotContain(both);
    }

    private static List<String> presenceOf(TestClient observer, String room, String user) {
        return ScaleOut.presence(observer, room).stream().filter(event -> event.endsWith(" " + user)).toList();
    }

    @Test
    void given_a_node_shut_down_gracefully_when_it_drains_then_members_on_the_other_node_hear_its_users_leave_without_waiting_for_the_ttl() {
        String longTtl = "60000"; // a dead node would be noticed only after 60 s
        RunningServer a = cluster.start("a", "--presence-ttl-ms", longTtl);
        RunningServer b = cluster.start("b", "--presence-ttl-ms", longTtl);
        String room = E2E.room("drained");
        String bob = E2E.user("bob");
        TestClient amy = connect(a, E2E.user("amy"));
        amy.join(room);
        TestClient onB = connect(b, bob);
        onB.join(room);
        await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.presence(amy, room).equals(List.of("join " + bob)));

        b.close();

        assertThat(onB.awaitCloseCode()).isEqualTo(1001);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ScaleOut.presence(amy, room).equals(List.of("join " + bob, "leave " + bob)));
        assertThat(ScaleOut.members(a.port(), room)).doesNotContain(bob);
    }

    @Test
    void given_a_limit_of_two_connections_per_user_when_they_arrive_on_different_nodes_then_the_limit_holds_across_nodes() {
        RunningServer a = cluster.start("a", "--max-connections-per-user", "2");
        RunningServer b = cluster.start("b", "--max-connections-per-user", "2");
        String alice = E2E.user("alice");
        TestClient first = connect(a, alice);
        connect(b, alice);

        assertThat(TestClient.refusedStatus(a.port(), Tokens.of(alice))).isEqualTo(429);
        assertThat(TestClient.refusedStatus(b.port(), Tokens.of(alice))).isEqualTo(429);

        first.close();
        await().atMost(ScaleOut.PATIENCE).ignoreExceptions().until(() -> {
            connect(b, alice);
            return true;
        });
    }
}
