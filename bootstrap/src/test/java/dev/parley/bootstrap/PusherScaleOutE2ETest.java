package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Pusher front door on two nodes of one cluster (one Redis, one PostgreSQL): triggers, client
 * events, presence, the HTTP API's counts and terminate_connections span the nodes, and a node
 * killed without cleanup gives its members' member_removed within the presence TTL.
 */
class PusherScaleOutE2ETest {
    private final ScaleOut cluster = new ScaleOut();
    private final List<PusherTestSocket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        sockets.forEach(PusherTestSocket::close);
        cluster.close();
    }

    private RunningServer node(String name) {
        return cluster.start(name, PusherTestSocket.FLAGS);
    }

    private PusherTestSocket open(int port) {
        PusherTestSocket socket = PusherTestSocket.open(port);
        sockets.add(socket);
        return socket;
    }

    private static List<String> members(JsonNode event) {
        List<String> ids = new ArrayList<>();
        event.path("data").path("presence").path("ids").forEach(id -> ids.add(id.asText()));
        return ids;
    }

    @Test
    void given_subscribers_on_two_nodes_when_a_trigger_or_client_event_comes_in_on_one_then_the_other_gets_it() {
        RunningServer a = node("a");
        RunningServer b = node("b");
        String channel = "private-" + E2E.room("across");
        PusherTestSocket onA = open(a.port());
        PusherTestSocket onB = open(b.port());
        onA.subscribe(channel, null);
        onB.subscribe(channel, null);
        onA.await("pusher_internal:subscription_succeeded", channel);
        onB.await("pusher_internal:subscription_succeeded", channel);

        assertThat(PusherTestSocket.api(a.port(), "POST", "events",
                PusherTestSocket.trigger(channel, "from-api", "{\"n\":1}")).statusCode()).isEqualTo(200);
        onB.send("client-typing", Map.of("who", "b"), channel);

        assertThat(onB.await("from-api", channel).path("data").path("n").asInt()).isEqualTo(1);
        assertThat(onA.await("client-typing", channel).path("data").path("who").asText()).isEqualTo("b");
        assertThat(onB.events("client-typing")).as("a client event is not echoed to its sender").isEmpty();
    }

    @Test
    void given_one_user_in_tabs_on_two_nodes_when_a_watcher_looks_then_one_member_added_and_counts_span_the_cluster() {
        RunningServer a = node("a");
        RunningServer b = node("b");
        String channel = "presence-" + E2E.room("across");
        PusherTestSocket watcher = open(a.port());
        watcher.subscribe(channel, "{\"user_id\":\"watcher\"}");
        watcher.await("pusher_internal:subscription_succeeded", channel);

        PusherTestSocket tabOnA = open(a.port());
        PusherTestSocket tabOnB = open(b.port());
        tabOnB.subscribe(channel, "{\"user_id\":\"ann\",\"user_info\":{\"name\":\"Ann\"}}");
        JsonNode joined = tabOnB.await("pusher_internal:subscription_succeeded", channel);
        tabOnA.subscribe(channel, "{\"user_id\":\"ann\",\"user_info\":{\"name\":\"Ann\"}}");
        tabOnA.await("pusher_internal:subscription_succeeded", channel);

        assertThat(members(joined)).containsExactlyInAnyOrder("watcher", "ann");
        JsonNode added = watcher.await("pusher_internal:member_added", channel);
        assertThat(added.path("data").path("user_info").path("name").asText()).isEqualTo("Ann");
        for (RunningServer node : List.of(a, b)) {
            assertThat(E2E.json(PusherTestSocket.api(node.port(), "GET", "channels/" + channel + "/users", null))
                    .path("users").findValuesAsText("id")).containsExactlyInAnyOrder("watcher", "ann");
        }
        await().during(Duration.ofMillis(500)).atMost(ScaleOut.PATIENCE)
                .until(() -> watcher.events("pusher_internal:member_added").size() == 1);

        tabOnB.close();
        await().during(Duration.ofMillis(500)).atMost(ScaleOut.PATIENCE)
                .until(() -> watcher.events("pusher_internal:member_removed").isEmpty());
        tabOnA.close();
        assertThat(watcher.await("pusher_internal:member_removed", channel).path("data").path("user_id").asText())
                .isEqualTo("ann");
    }

    @Test
    void given_a_user_signed_in_on_one_node_when_another_node_is_asked_to_terminate_its_connections_then_they_close() {
        RunningServer a = node("a");
        RunningServer b = node("b");
        PusherTestSocket onB = open(b.port());
        onB.signIn("{\"id\":\"zed\"}");
        PusherTestSocket bystander = open(b.port());
        bystander.signIn("{\"id\":\"yan\"}");

        assertThat(PusherTestSocket.api(a.port(), "POST", "users/zed/terminate_connections", "{}").statusCode())
                .isEqualTo(200);

        assertThat(onB.awaitCloseCode()).isEqualTo(4009);
        assertThat(bystander.isClosed()).isFalse();
    }

    @Test
    void given_a_member_on_a_node_killed_without_cleanup_when_the_ttl_passes_then_the_other_node_sends_member_removed()
            throws Exception {
        RunningServer survivor = node("survivor");
        ScaleOut.NodeProcess doomed = cluster.startProcess("doomed", PusherTestSocket.FLAGS);
        String channel = "presence-" + E2E.room("killed");
        PusherTestSocket watcher = open(survivor.port());
        watcher.subscribe(channel, "{\"user_id\":\"watcher\"}");
        watcher.await("pusher_internal:subscription_succeeded", channel);
        PusherTestSocket victim = open(doomed.port());
        victim.subscribe(channel, "{\"user_id\":\"victim\"}");
        victim.await("pusher_internal:subscription_succeeded", channel);
        watcher.await("pusher_internal:member_added", channel);

        long killedAt = System.nanoTime();
        doomed.kill();

        JsonNode removed = watcher.await("pusher_internal:member_removed", channel);
        assertThat(removed.path("data").path("user_id").asText()).isEqualTo("victim");
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt))
                .isLessThan(ScaleOut.TTL.multipliedBy(4));
        assertThat(E2E.json(PusherTestSocket.api(survivor.port(), "GET", "channels/" + channel + "/users", null))
                .path("users").findValuesAsText("id")).containsExactly("watcher");
    }
}
