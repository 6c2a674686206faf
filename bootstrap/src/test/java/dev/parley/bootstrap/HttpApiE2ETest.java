package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.admin;
import static dev.parley.bootstrap.E2E.get;
import static dev.parley.bootstrap.E2E.json;
import static dev.parley.bootstrap.E2E.post;
import static dev.parley.bootstrap.E2E.room;
import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docs/protocol.md section 10: health, metrics and the operator API on the WebSocket's port. */
class HttpApiE2ETest {
    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = E2E.start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static List<Long> seqs(JsonNode page) {
        List<Long> seqs = new ArrayList<>();
        page.get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
        return seqs;
    }

    // ---- health and metrics ----------------------------------------------------------------

    @Test
    void given_a_running_server_when_asking_health_then_200_up_with_its_checks() {
        HttpResponse<String> health = get(port, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json(health);
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks").isObject()).isTrue();
        body.get("checks").forEach(check -> assertThat(check.asText()).isEqualTo("UP"));
    }

    @Test
    void given_traffic_when_scraping_metrics_then_prometheus_text_with_parley_metrics() {
        try (TestClient a = TestClient.connect(port, Tokens.of(user("alice")))) {
            a.welcome();
            String room = room("metrics");
            a.join(room);
            a.chat(room, "counted");
            a.request("ping", Map.of());
            a.sendRaw("{oops");
            a.await(f -> TestClient.type(f).equals("error"));

            // Gauges must survive a garbage collection (Micrometer holds their state weakly by default).
            System.gc();
            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("# TYPE parley_connections gauge")
                    .containsPattern("(?m)^parley_connections(\\{[^}]*})? [1-9]")
                    .containsPattern("(?m)^parley_rooms(\\{[^}]*})? [1-9]")
                    .containsPattern("(?m)^parley_frames_in_total\\{[^}]*type=\"chat\"[^}]*} [1-9]")
                    .containsPattern("(?m)^parley_frames_out_total\\{[^}]*type=\"welcome\"[^}]*} [1-9]")
                    .containsPattern("(?m)^parley_errors_total\\{[^}]*code=\"bad_request\"[^}]*} [1-9]")
                    .contains("parley_chat_ack_latency_seconds_count")
                    .contains("parley_closes_slow_consumer_total")
                    .contains("parley_closes_abuse_total")
                    .contains("parley_rate_limited_total")
                    .contains("jvm_memory_used_bytes");
        }
    }

    @Test
    void given_a_post_when_sent_to_health_or_metrics_then_405() {
        assertThat(post(port, "/health", "{}").statusCode()).isEqualTo(405);
        assertThat(post(port, "/metrics", "{}").statusCode()).isEqualTo(405);
    }

    // ---- the protocol as AsyncAPI ----------------------------------------------------------

    @Test
    void given_no_credentials_when_getting_asyncapi_yaml_then_200_application_yaml_with_the_bytes_of_docs_asyncapi_yaml()
            throws IOException {
        HttpResponse<byte[]> response = E2E.getBytes(port, "/asyncapi.yaml");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        byte[] document = Files.readAllBytes(AsyncApiDocument.parley().path());
        // As text first, for a difference one can read; then byte for byte.
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(new String(document, StandardCharsets.UTF_8));
        assertThat(response.body()).isEqualTo(document);
        assertThat(post(port, "/asyncapi.yaml", "{}").statusCode()).isEqualTo(405);
    }

    // ---- the admin key ---------------------------------------------------------------------

    @Test
    void given_no_or_a_wrong_admin_key_when_calling_the_api_then_401_with_a_json_error() {
        String room = room("locked");
        List<HttpResponse<String>> refused = List.of(
                get(port, "/api/rooms/" + room + "/messages"),
                get(port, "/api/rooms/" + room + "/presence"),
                post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"hi\"}"),
                post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"hi\"}", "Authorization", "Bearer wrong"),
                post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"hi\"}", "Authorization",
                        "Basic " + E2E.ADMIN_KEY),
                get(port, "/api/rooms/" + room + "/messages", "Authorization", "Bearer " + E2E.ADMIN_KEY + "x"),
                // A user's JWT is not the admin key.
                get(port, "/api/rooms/" + room + "/messages", "Authorization", "Bearer " + Tokens.of(user("alice"))));
        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).as("%s", response.request()).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
            assertThat(json(response).get("message").asText()).isNotBlank();
        }
        // Nothing was published on the way.
        assertThat(json(get(port, "/api/rooms/" + room + "/messages", admin())).get("messages").size()).isZero();
    }

    @Test
    void given_no_admin_key_configured_when_calling_the_api_then_always_401() {
        ParleyConfig config = ParleyConfig.fromArgs("--port", "0", "--jwt-secret", Tokens.SECRET);
        assertThat(config.adminKey()).isEmpty();
        try (RunningServer keyless = RunningServer.start(config)) {
            assertThat(get(keyless.port(), "/api/rooms/r/messages").statusCode()).isEqualTo(401);
            assertThat(get(keyless.port(), "/api/rooms/r/messages", admin()).statusCode()).isEqualTo(401);
            assertThat(get(keyless.port(), "/api/rooms/r/messages", "Authorization", "Bearer ").statusCode())
                    .isEqualTo(401);
        }
    }

    // ---- publishing ------------------------------------------------------------------------

    @Test
    void given_a_publish_when_repeated_with_the_same_id_then_201_then_200_duplicate_and_delivered_once() {
        String room = room("announce");
        try (TestClient a = TestClient.connect(port, Tokens.of(user("alice")))) {
            a.join(room);
            HttpResponse<String> first = post(port, "/api/rooms/" + room + "/messages",
                    "{\"text\":\"maintenance at noon\",\"id\":\"notice-1\",\"data\":{\"level\":\"info\"}}", admin());
            assertThat(first.statusCode()).isEqualTo(201);
            JsonNode created = json(first);
            assertThat(created.get("room").asText()).isEqualTo(room);
            assertThat(created.get("seq").asLong()).isEqualTo(1);
            assertThat(created.get("duplicate").asBoolean(true)).isFalse();

            HttpResponse<String> again = post(port, "/api/rooms/" + room + "/messages",
                    "{\"text\":\"maintenance at noon\",\"id\":\"notice-1\"}", admin());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json(again).get("seq").asLong()).isEqualTo(1);
            assertThat(json(again).get("duplicate").asBoolean()).isTrue();

            JsonNode message = a.awaitChat(room);
            assertThat(message.get("seq").asLong()).isEqualTo(1);
            assertThat(message.get("id").asText()).isEqualTo("notice-1");
            assertThat(message.get("from").get("id").asText()).isEqualTo("system");
            assertThat(message.get("text").asText()).isEqualTo("maintenance at noon");
            assertThat(message.get("data").get("level").asText()).isEqualTo("info");

            a.chat(room, "marker");
            a.awaitSeq(room, 2);
            assertThat(a.chatSeqs(room)).containsExactly(1L, 2L);
        }
    }

    @Test
    void given_publishes_without_id_when_sent_twice_then_two_messages() {
        String room = room("no-id");
        HttpResponse<String> one = post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"one\"}", admin());
        HttpResponse<String> two = post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"one\"}", admin());
        assertThat(one.statusCode()).isEqualTo(201);
        assertThat(two.statusCode()).isEqualTo(201);
        assertThat(json(two).get("seq").asLong()).isEqualTo(json(one).get("seq").asLong() + 1);
    }

    @Test
    void given_bad_publishes_when_sent_then_json_errors_with_a_matching_status() {
        String room = room("bad-publish");
        String path = "/api/rooms/" + room + "/messages";
        Map<String, String> badRequests = Map.of(
                "not json", "{oops",
                "not an object", "[1]",
                "no text", "{\"data\":{}}",
                "text not a string", "{\"text\":5}",
                "empty text", "{\"text\":\"  \"}",
                "bad id", "{\"text\":\"hi\",\"id\":\"has space\"}",
                "data not an object", "{\"text\":\"hi\",\"data\":\"x\"}");
        for (Map.Entry<String, String> bad : badRequests.entrySet()) {
            HttpResponse<String> response = post(port, path, bad.getValue(), admin());
            assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(bad.getKey()).isEqualTo("bad_request");
        }
        HttpResponse<String> tooLong = post(port, path, "{\"text\":\"" + "x".repeat(4001) + "\"}", admin());
        assertThat(tooLong.statusCode()).isEqualTo(413);
        assertThat(json(tooLong).get("error").asText()).isEqualTo("too_large");
        HttpResponse<String> badRoom = post(port, "/api/rooms/bad%20room/messages", "{\"text\":\"hi\"}", admin());
        assertThat(badRoom.statusCode()).isEqualTo(400);
        assertThat(json(badRoom).get("error").asText()).isEqualTo("bad_request");

        assertThat(json(get(port, path, admin())).get("messages").size()).isZero();
    }

    // ---- history and presence --------------------------------------------------------------

    @Test
    void given_messages_when_reading_history_over_http_then_pages_like_the_websocket_history() {
        String room = room("api-history");
        for (int i = 1; i <= 5; i++) {
            assertThat(post(port, "/api/rooms/" + room + "/messages", "{\"text\":\"n" + i + "\"}", admin())
                    .statusCode()).isEqualTo(201);
        }
        String path = "/api/rooms/" + room + "/messages";
        HttpResponse<String> all = get(port, path, admin());
        assertThat(all.statusCode()).isEqualTo(200);
        JsonNode page = json(all);
        assertThat(page.get("room").asText()).isEqualTo(room);
        assertThat(seqs(page)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(page.get("hasMore").asBoolean(true)).isFalse();
        JsonNode first = page.get("messages").get(0);
        assertThat(first.get("text").asText()).isEqualTo("n1");
        assertThat(first.get("from").get("id").asText()).isEqualTo("system");
        assertThat(first.get("sentAt").isIntegralNumber()).isTrue();

        JsonNode after = json(get(port, path + "?after=1&limit=2", admin()));
        assertThat(seqs(after)).containsExactly(2L, 3L);
        assertThat(after.get("hasMore").asBoolean()).isTrue();
        JsonNode before = json(get(port, path + "?before=3&limit=5", admin()));
        assertThat(seqs(before)).containsExactly(1L, 2L);
        assertThat(before.get("hasMore").asBoolean(true)).isFalse();
        JsonNode newest = json(get(port, path + "?limit=2", admin()));
        assertThat(seqs(newest)).containsExactly(4L, 5L);
        assertThat(newest.get("hasMore").asBoolean()).isTrue();

        for (String bad : List.of("?limit=0", "?limit=101", "?limit=abc", "?after=-1", "?before=x")) {
            HttpResponse<String> response = get(port, path + bad, admin());
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(json(response).get("error").asText()).as(bad).isEqualTo("bad_request");
        }
    }

    @Test
    void given_members_when_reading_presence_over_http_then_each_present_user_once() {
        String room = room("api-presence");
        String alice = user("alice");
        try (TestClient a1 = TestClient.connect(port, Tokens.of(alice));
             TestClient a2 = TestClient.connect(port, Tokens.of(alice))) {
            a1.join(room);
            a2.join(room);
            HttpResponse<String> response = get(port, "/api/rooms/" + room + "/presence", admin());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("room").asText()).isEqualTo(room);
            assertThat(body.get("members").size()).isEqualTo(1);
            assertThat(body.get("members").get(0).get("id").asText()).isEqualTo(alice);
            assertThat(body.get("members").get(0).get("name").asText()).isEqualTo("A" + alice.substring(1));
        }
        await().atMost(Duration.ofSeconds(15)).until(() ->
                json(get(port, "/api/rooms/" + room + "/presence", admin())).get("members").size() == 0);
    }
}
