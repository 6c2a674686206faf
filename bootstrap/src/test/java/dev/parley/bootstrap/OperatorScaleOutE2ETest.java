package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's view across two nodes on one Redis: the node list, a user's connections, a trace. */
class OperatorScaleOutE2ETest {
    private final ScaleOut cluster = new ScaleOut();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        cluster.close();
    }

    private TestClient connect(RunningServer node, String user) {
        TestClient client = ScaleOut.connect(node, user);
        opened.add(client);
        return client;
    }

    private static List<String> nodeIds(int port) {
        return E2E.json(E2E.get(port, "/api/nodes", E2E.admin())).path("nodes").findValuesAsText("id");
    }

    @Test
    void given_two_nodes_and_one_killed_when_the_nodes_are_listed_then_both_then_the_killed_one_gone_within_the_ttl()
            throws Exception {
        RunningServer a = cluster.start("a");
        ScaleOut.NodeProcess doomed = cluster.startProcess("doomed");
        int doomedPort = doomed.port();

        await().atMost(ScaleOut.PATIENCE).until(() -> nodeIds(a.port()).containsAll(
                List.of(cluster.nodeId("a"), cluster.nodeId("doomed"))));
        assertThat(nodeIds(doomedPort)).contains(cluster.nodeId("a"));
        long killedAt = System.nanoTime();
        doomed.kill();

        await().atMost(ScaleOut.PATIENCE).until(() -> !nodeIds(a.port()).contains(cluster.nodeId("doomed")));
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(ScaleOut.TTL.multipliedBy(3));
        assertThat(nodeIds(a.port())).contains(cluster.nodeId("a"));
    }

    @Test
    void given_a_user_on_both_nodes_when_one_node_is_asked_then_it_lists_both_connections_and_closes_both_with_4003() {
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        await().atMost(ScaleOut.PATIENCE).until(() -> nodeIds(a.port()).size() >= 2);
        String ann = E2E.user("ann");
        String room = E2E.room("both");
        TestClient onA = connect(a, ann);
        TestClient onB = connect(b, ann);
        onB.join(room);

        JsonNode listed = E2E.json(E2E.get(a.port(), "/api/users/" + ann + "/connections", E2E.admin()));
        JsonNode deleted = E2E.json(E2E.delete(b.port(), "/api/users/" + ann + "/connections", E2E.admin()));

        assertThat(listed.path("connections").findValuesAsText("node"))
                .containsExactlyInAnyOrder(cluster.nodeId("a"), cluster.nodeId("b"));
        for (JsonNode connection : listed.path("connections")) {
            boolean onNodeB = connection.path("node").asText().equals(cluster.nodeId("b"));
            assertThat(connection.path("rooms").size()).isEqualTo(onNodeB ? 1 : 0);
        }
        assertThat(deleted.path("closed").asInt()).isEqualTo(2);
        assertThat(onA.awaitCloseCode()).isEqualTo(4003);
        assertThat(onB.awaitCloseCode()).isEqualTo(4003);
    }

    @Test
    void given_a_trace_on_a_node_without_members_when_members_on_the_other_chat_then_it_sees_their_chats_in_order()
            throws Exception {
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        String room = E2E.room("far");
        TestClient member = connect(b, E2E.user("bob"));
        member.join(room);
        TraceReader trace = TraceReader.open(a.port(), room);
        opened.add(trace);

        for (int i = 1; i <= 20; i++) {
            member.chat(room, "m" + i);
        }

        await().atMost(ScaleOut.PATIENCE).until(() -> trace.chatTexts().size() == 20);
        assertThat(trace.chatTexts()).containsExactlyElementsOf(
                IntStream.rangeClosed(1, 20).mapToObj(i -> "m" + i).toList());
    }
}
