package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testsupport.TestServices;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server wired with {@code PARLEY_POSTGRES_URL}: history in PostgreSQL (kept across a
 * restart), {@code /health} reporting the database, {@code unavailable} while it is away.
 * Needs a PostgreSQL, found by {@link TestServices} (without one: failed when {@code CI=true}, else skipped).
 */
class PostgresHistoryServerTest {
    private static final String ADMIN_KEY = "postgres-history-test-admin-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static String url;
    private static String schema;

    @BeforeAll
    static void database() {
        url = TestServices.postgresUrl();
        schema = "parley_test_server_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(url);
                 PreparedStatement drop = connection.prepareStatement("DROP SCHEMA IF EXISTS " + schema + " CASCADE")) {
                drop.execute();
            }
        }
    }

    @Test
    void given_postgres_url_when_messages_published_and_server_restarted_then_history_and_seqs_are_kept_in_postgres()
            throws Exception {
        String room = "pg-server-" + UUID.randomUUID().toString().substring(0, 8);
        ParleyConfig config = config(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);

        try (RunningServer server = RunningServer.start(config)) {
            HttpResponse<String> health = get(server, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"history\":\"UP\"");

            HttpResponse<String> first = post(server, room, "{\"id\":\"m1\",\"text\":\"kept\",\"data\":{\"b\":1,\"a\":[true]}}");
            HttpResponse<String> again = post(server, room, "{\"id\":\"m1\",\"text\":\"kept\"}");

            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(first.body()).contains("\"seq\":1", "\"duplicate\":false");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).contains("\"seq\":1", "\"duplicate\":true");
        }

        try (RunningServer restarted = RunningServer.start(config)) {
            HttpResponse<String> history = get(restarted, "/api/rooms/" + room + "/messages");
            HttpResponse<String> second = post(restarted, room, "{\"id\":\"m2\",\"text\":\"after the restart\"}");

            assertThat(history.statusCode()).isEqualTo(200);
            assertThat(history.body()).contains("\"text\":\"kept\"", "\"data\":{\"b\":1,\"a\":[true]}");
            assertThat(second.body()).contains("\"seq\":2", "\"duplicate\":false");
        }
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM " + schema + ".messages WHERE room = ?")) {
            count.setString(1, room);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void given_a_member_away_across_a_restart_when_rejoining_since_its_last_seq_then_it_recovers_what_it_missed() {
        String room = E2E.room("pg-since");
        String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        String alice = E2E.user("alice");
        String epoch;
        try (RunningServer server = E2E.start("--postgres-url", schemaUrl);
             TestClient a = TestClient.connect(server.port(), Tokens.of(alice));
             TestClient b = TestClient.connect(server.port(), Tokens.of(E2E.user("bob")))) {
            epoch = a.join(room).get("epoch").asText();
            b.join(room);
            b.chat(room, "seen 1");
            b.chat(room, "seen 2");
            a.awaitSeq(room, 2);
            a.close();
            b.chat(room, "missed before the restart");
        }

        try (RunningServer restarted = E2E.start("--postgres-url", schemaUrl);
             TestClient b = TestClient.connect(restarted.port(), Tokens.of(E2E.user("bob")))) {
            b.join(room);
            b.chat(room, "missed after the restart");
            try (TestClient a = TestClient.connect(restarted.port(), Tokens.of(alice))) {
                JsonNode ack = a.joinSince(room, 2, epoch);

                assertThat(ack.get("epoch").asText()).isEqualTo(epoch);
                assertThat(ack.get("recovered").asBoolean()).isTrue();
                assertThat(ack.get("replay").asInt()).isEqualTo(2);
                a.awaitSeq(room, 4);
                assertThat(a.chatSeqs(room)).containsExactly(3L, 4L);
            }
        }
    }

    @Test
    void given_postgres_unreachable_when_server_runs_then_health_is_down_and_publish_answers_unavailable() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        String deadUrl = url.replaceFirst("//[^/?]+", "//127.0.0.1:" + deadPort);

        try (RunningServer server = RunningServer.start(config(deadUrl))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get(server, "/health").statusCode() == 503);
            assertThat(get(server, "/health").body()).contains("\"history\":\"DOWN\"");

            HttpResponse<String> publish = post(server, "pg-server-down", "{\"id\":\"m1\",\"text\":\"lost?\"}");

            assertThat(publish.statusCode()).isEqualTo(503);
            assertThat(publish.body()).contains("unavailable");
        }
    }

    private static ParleyConfig config(String postgresUrl) {
        return ParleyConfig.fromArgs("--port", "0", "--postgres-url", postgresUrl, "--admin-key", ADMIN_KEY,
                "--node-id", "pg-history-test");
    }

    private static HttpResponse<String> get(RunningServer server, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Authorization", "Bearer " + ADMIN_KEY).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(RunningServer server, String room, String body)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/rooms/" + room
                        + "/messages"))
                .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
