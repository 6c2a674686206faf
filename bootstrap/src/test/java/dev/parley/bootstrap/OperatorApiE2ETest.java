package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/protocol.md section 10, the operator's part, on one node: nodes, rooms, a room, a user's connections, a trace. */
class OperatorApiE2ETest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static RunningServer server;
    private static int port;
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        server = E2E.start("--history-retention", "3");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    private TestClient connect(String user) {
        TestClient client = TestClient.connect(port, Tokens.of(user));
        client.welcome();
        opened.add(client);
        return client;
    }

    private static JsonNode getJson(String path) {
        var response = E2E.get(port, path, E2E.admin());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return E2E.json(response);
    }

    @Test
    void given_no_key_or_a_wrong_one_when_any_operator_call_is_made_then_401_and_nothing_else() {
        for (String path : List.of("/api/nodes", "/api/rooms", "/api/rooms/lobby", "/api/rooms/lobby/trace",
                "/api/users/ann/connections")) {
            assertThat(E2E.get(port, path).statusCode()).as(path).isEqualTo(401);
            var wrong = E2E.get(port, path, "Authorization", "Bearer not-the-key");
            assertThat(wrong.statusCode()).as(path).isEqualTo(401);
            assertThat(E2E.json(wrong).path("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(E2E.delete(port, "/api/users/ann/connections").statusCode()).isEqualTo(401);
    }

    @Test
    void given_chats_on_this_node_when_the_nodes_are_listed_then_it_is_there_with_its_connections_rates_and_ack_latency() {
        String room = E2E.room("busy");
        TestClient ann = connect(E2E.user("ann"));
        ann.join(room);
        for (int i = 0; i < 10; i++) {
            ann.chat(room, "m" + i);
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonNode node = getJson("/api/nodes").path("nodes").get(0);
            assertThat(node.path("id").asText()).isEqualTo(E2E.NODE);
            assertThat(node.path("connections").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(node.path("rooms").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(node.path("startedAt").asLong()).isBetween(System.currentTimeMillis() - 600_000,
                    System.currentTimeMillis());
            assertThat(node.path("chatsPerSecond").asDouble()).isPositive();
            assertThat(node.path("deliveriesPerSecond").asDouble()).isPositive();
            assertThat(node.path("ackMs").path("p50").asDouble()).isPositive()
                    .isLessThanOrEqualTo(node.path("ackMs").path("p99").asDouble());
        });
    }

    @Test
    void given_rooms_with_members_when_listed_by_prefix_a_page_at_a_time_then_by_name_with_members_last_seq_and_epoch() {
        String prefix = E2E.room("list") + "-";
        TestClient ann = connect(E2E.user("ann"));
        TestClient bob = connect(E2E.user("bob"));
        for (String name : List.of("c", "a", "b")) {
            ann.join(prefix + name);
        }
        bob.join(prefix + "a");
        ann.chat(prefix + "a", "hello");

        JsonNode first = getJson("/api/rooms?prefix=" + prefix + "&limit=2");
        JsonNode rest = getJson("/api/rooms?prefix=" + prefix + "&limit=2&after=" + prefix + "b");

        assertThat(first.path("rooms").findValuesAsText("room")).containsExactly(prefix + "a", prefix + "b");
        assertThat(first.path("hasMore").asBoolean()).isTrue();
        JsonNode a = first.path("rooms").get(0);
        assertThat(a.path("members").asInt()).isEqualTo(2);
        assertThat(a.path("lastSeq").asLong()).isEqualTo(1);
        assertThat(a.path("epoch").asText()).isNotBlank();
        assertThat(rest.path("rooms").findValuesAsText("room")).containsExactly(prefix + "c");
        assertThat(rest.path("hasMore").asBoolean()).isFalse();
        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "after=bad%20room")) {
            assertThat(E2E.get(port, "/api/rooms?" + bad, E2E.admin()).statusCode()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void given_a_room_past_its_retention_when_looked_at_then_its_members_last_seq_epoch_and_history_depth() {
        String room = E2E.room("deep");
        String ann = E2E.user("ann");
        TestClient client = connect(ann);
        client.join(room);
        for (int i = 1; i <= 5; i++) {
            client.chat(room, "m" + i);
        }

        JsonNode body = getJson("/api/rooms/" + room);

        assertThat(body.path("room").asText()).isEqualTo(room);
        assertThat(body.path("members").findValuesAsText("id")).containsExactly(ann);
        assertThat(body.path("lastSeq").asLong()).isEqualTo(5);
        assertThat(body.path("epoch").asText()).isNotBlank();
        assertThat(body.path("historyDepth").asLong()).as("retention 3").isEqualTo(3);
        assertThat(getJson("/api/rooms/" + E2E.room("never")).path("historyDepth").asLong()).isZero();
    }

    @Test
    void given_a_user_with_two_connections_when_looked_up_and_deleted_then_both_are_listed_then_closed_with_4003_and_may_come_back() {
        String ann = E2E.user("ann");
        String room = E2E.room("lobby");
        TestClient first = connect(ann);
        TestClient second = connect(ann);
        TestClient bystander = connect(E2E.user("bob"));
        first.join(room);
        String firstId = first.received("welcome").get(0).path("payload").path("connectionId").asText();

        JsonNode listed = getJson("/api/users/" + ann + "/connections");
        var deleted = E2E.delete(port, "/api/users/" + ann + "/connections", E2E.admin());

        assertThat(listed.path("user").asText()).isEqualTo(ann);
        assertThat(listed.path("connections")).hasSize(2);
        JsonNode withRoom = null;
        for (JsonNode connection : listed.path("connections")) {
            if (connection.path("id").asText().equals(firstId)) {
                withRoom = connection;
            }
        }
        assertThat(withRoom).as("the first connection, by its welcome's id").isNotNull();
        assertThat(withRoom.path("node").asText()).isEqualTo(E2E.NODE);
        assertThat(withRoom.path("rooms")).hasSize(1);
        assertThat(withRoom.path("rooms").get(0).asText()).isEqualTo(room);
        assertThat(withRoom.path("connectedAt").asLong()).isPositive();
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(E2E.json(deleted).path("closed").asInt()).isEqualTo(2);
        assertThat(first.awaitCloseCode()).isEqualTo(4003);
        assertThat(second.awaitCloseCode()).isEqualTo(4003);
        assertThat(bystander.isOpen()).isTrue();
        connect(ann);
        assertThat(E2E.json(E2E.delete(port, "/api/users/" + E2E.user("nobody") + "/connections", E2E.admin()))
                .path("closed").asInt()).isZero();
    }

    @Test
    void given_a_user_id_with_a_slash_and_a_question_mark_when_looked_up_percent_encoded_then_found_and_closed() {
        String odd = "team/" + E2E.user("ann") + "?x";
        TestClient client = connect(odd);
        String path = "/api/users/" + URLEncoder.encode(odd, StandardCharsets.UTF_8) + "/connections";

        JsonNode listed = getJson(path);
        JsonNode deleted = E2E.json(E2E.delete(port, path, E2E.admin()));

        assertThat(listed.path("user").asText()).isEqualTo(odd);
        assertThat(listed.path("connections")).hasSize(1);
        assertThat(deleted.path("closed").asInt()).isEqualTo(1);
        assertThat(client.awaitCloseCode()).isEqualTo(4003);
        assertThat(E2E.get(port, "/api/users/ann/elsewhere", E2E.admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void given_a_trace_when_members_chat_type_and_come_then_each_event_arrives_as_its_ws_frame_in_order() throws Exception {
        String room = E2E.room("traced");
        TestClient ann = connect(E2E.user("ann"));
        ann.join(room);
        TraceReader trace = TraceReader.open(port, room);
        opened.add(trace);

        assertThat(trace.response().statusCode()).isEqualTo(200);
        assertThat(trace.response().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        ann.chat(room, "one");
        ann.send("typing", ann.nextId(), Map.of("room", room, "active", true));
        TestClient bob = connect(E2E.user("bob"));
        bob.join(room);
        bob.chat(room, "two");

        await().atMost(PATIENCE).until(() -> trace.events().size() >= 4);
        assertThat(trace.events()).extracting(TraceReader.Event::name)
                .containsExactly("chat", "typing", "presence", "chat");
        assertThat(trace.chatTexts()).containsExactly("one", "two");
        assertThat(trace.events()).allSatisfy(event -> assertThat(event.frame().path("type").asText()).isEqualTo(event.name()));
    }
}
