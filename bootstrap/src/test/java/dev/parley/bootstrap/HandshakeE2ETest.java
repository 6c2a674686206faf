package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/protocol.md section 1: credentials, and every handshake refusal as a plain HTTP status. */
class HandshakeE2ETest {
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

    private static Map<String, String> bearer(String token) {
        return TestClient.headers("Authorization", "Bearer " + token);
    }

    private static void assertAccepted(java.net.URI uri, Map<String, String> headers) {
        try (TestClient client = TestClient.connect(uri, headers)) {
            assertThat(client.welcome().get("type").asText()).isEqualTo("welcome");
        }
    }

    // ---- 401 -------------------------------------------------------------------------------

    @Test
    void given_no_token_when_opening_then_401() {
        assertThat(TestClient.refusedStatus(TestClient.uri(port, ""), Map.of())).isEqualTo(401);
        assertThat(TestClient.refusedStatus(TestClient.uri(port, "token="), Map.of())).isEqualTo(401);
        assertThat(TestClient.refusedStatus(TestClient.uri(port, ""), bearer(""))).isEqualTo(401);
        // insecure-dev's ?user= means nothing once a JWT key is configured.
        assertThat(TestClient.refusedStatus(TestClient.uri(port, "user=alice"), Map.of())).isEqualTo(401);
    }

    @Test
    void given_a_malformed_token_or_a_bad_signature_when_opening_then_401() {
        assertThat(TestClient.refusedStatus(port, "not-a-jwt")).isEqualTo(401);
        assertThat(TestClient.refusedStatus(port, "a.b.c")).isEqualTo(401);
        assertThat(TestClient.refusedStatus(port, Tokens.signedWith(Tokens.OTHER_SECRET, user("mallory"))))
                .isEqualTo(401);
        String valid = Tokens.of(user("alice"));
        String tampered = valid.substring(0, valid.lastIndexOf('.')) + "."
                + new StringBuilder(valid.substring(valid.lastIndexOf('.') + 1)).reverse();
        assertThat(TestClient.refusedStatus(port, tampered)).isEqualTo(401);
        assertThat(TestClient.refusedStatus(TestClient.uri(port, "token=" + tampered), Map.of())).isEqualTo(401);
    }

    @Test
    void given_an_alg_none_token_when_opening_then_401() {
        String unsigned = Tokens.algNone(user("mallory"));
        assertThat(unsigned).endsWith(".");
        assertThat(TestClient.refusedStatus(port, unsigned)).isEqualTo(401);
        assertThat(TestClient.refusedStatus(TestClient.uri(port, "token=" + unsigned), Map.of())).isEqualTo(401);
    }

    @Test
    void given_a_token_expired_beyond_the_60_s_leeway_when_opening_then_401_and_within_it_accepted() {
        String alice = user("alice");
        assertThat(TestClient.refusedStatus(port, Tokens.expiringAt(alice, Instant.now().minusSeconds(120))))
                .isEqualTo(401);
        assertAccepted(TestClient.uri(port, ""), bearer(Tokens.expiringAt(alice, Instant.now().minusSeconds(20))));
    }

    @Test
    void given_a_token_with_a_bad_sub_or_rooms_claim_when_opening_then_401() {
        Instant hour = Instant.now().plusSeconds(3600);
        assertThat(TestClient.refusedStatus(port, Tokens.hs256(Tokens.SECRET,
                Tokens.claims("has space", "x", hour, null)))).isEqualTo(401);
        assertThat(TestClient.refusedStatus(port, Tokens.hs256(Tokens.SECRET,
                Tokens.claims(null, "x", hour, null)))).isEqualTo(401);
        assertThat(TestClient.refusedStatus(port, Tokens.hs256(Tokens.SECRET,
                new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(user("alice")).claim("rooms", "private:*")
                        .expirationTime(java.util.Date.from(hour)).build()))).isEqualTo(401);
    }

    @Test
    void given_a_valid_token_in_the_header_or_the_query_when_opening_then_welcome() {
        String alice = user("alice");
        assertAccepted(TestClient.uri(port, ""), bearer(Tokens.of(alice)));
        assertAccepted(TestClient.uri(port, "token=" + Tokens.of(alice)), Map.of());
    }

    // ---- 403 -------------------------------------------------------------------------------

    @Test
    void given_the_default_origins_when_a_foreign_origin_opens_then_403_and_localhost_own_or_no_origin_are_fine() {
        String token = Tokens.of(user("alice"));
        Map<String, String> evil = TestClient.headers("Authorization", "Bearer " + token, "Origin", "https://evil.example");
        assertThat(TestClient.refusedStatus(TestClient.uri(port, ""), evil)).isEqualTo(403);
        assertThat(TestClient.refusedStatus(TestClient.uri(port, ""),
                TestClient.headers("Authorization", "Bearer " + token, "Origin", "null"))).isEqualTo(403);

        assertAccepted(TestClient.uri(port, ""), bearer(token));
        assertAccepted(TestClient.uri(port, ""),
                TestClient.headers("Authorization", "Bearer " + token, "Origin", "http://localhost:5173"));
        assertAccepted(TestClient.uri(port, ""),
                TestClient.headers("Authorization", "Bearer " + token, "Origin", "http://127.0.0.1:" + port));
    }

    @Test
    void given_an_allowed_origins_list_when_opening_then_only_those_origins_pass_and_no_origin_still_does() {
        try (RunningServer listed = E2E.start("--allowed-origins", "https://app.example, https://admin.example")) {
            String token = Tokens.of(user("alice"));
            java.net.URI uri = TestClient.uri(listed.port(), "");
            assertAccepted(uri, TestClient.headers("Authorization", "Bearer " + token, "Origin", "https://app.example"));
            assertAccepted(uri, TestClient.headers("Authorization", "Bearer " + token, "Origin", "https://admin.example"));
            assertAccepted(uri, bearer(token));
            assertThat(TestClient.refusedStatus(uri,
                    TestClient.headers("Authorization", "Bearer " + token, "Origin", "https://evil.example")))
                    .isEqualTo(403);
            assertThat(TestClient.refusedStatus(uri,
                    TestClient.headers("Authorization", "Bearer " + token, "Origin", "http://app.example")))
                    .isEqualTo(403);
            assertThat(TestClient.refusedStatus(uri,
                    TestClient.headers("Authorization", "Bearer " + token, "Origin", "http://localhost:5173")))
                    .isEqualTo(403);
        }
    }

    @Test
    void given_allowed_origins_star_when_any_origin_opens_then_it_is_accepted() {
        try (RunningServer any = E2E.start("--allowed-origins", "*")) {
            assertAccepted(TestClient.uri(any.port(), ""),
                    TestClient.headers("Authorization", "Bearer " + Tokens.of(user("alice")), "Origin",
                            "https://anywhere.example"));
        }
    }

    // ---- 429 -------------------------------------------------------------------------------

    @Test
    void given_10_connections_of_a_user_when_an_11th_opens_then_429_and_a_freed_slot_is_usable_again() {
        String alice = user("alice");
        List<TestClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                TestClient client = TestClient.connect(port, Tokens.of(alice));
                client.welcome();
                open.add(client);
            }
            assertThat(TestClient.refusedStatus(port, Tokens.of(alice))).isEqualTo(429);
            // Another user is not affected.
            assertAccepted(TestClient.uri(port, ""), bearer(Tokens.of(user("bob"))));

            open.remove(0).close();
            // The slot is released when the server has seen the close: retry until then.
            TestClient again = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> TestClient.connect(port, Tokens.of(alice)), c -> true);
            open.add(again);
            assertThat(again.welcome().get("payload").get("user").get("id").asText()).isEqualTo(alice);
            assertThat(TestClient.refusedStatus(port, Tokens.of(alice))).isEqualTo(429);
        } finally {
            open.forEach(TestClient::close);
        }
    }

    @Test
    void given_a_connection_that_drops_without_a_close_frame_when_its_user_reconnects_then_the_slot_was_freed() {
        String alice = user("alice");
        List<RawWebSocket> raw = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                RawWebSocket socket = RawWebSocket.open(port, "token=" + Tokens.of(alice));
                assertThat(socket.read().text()).contains("\"welcome\"");
                raw.add(socket);
            }
            assertThat(TestClient.refusedStatus(port, Tokens.of(alice))).isEqualTo(429);
            raw.forEach(RawWebSocket::close);
            TestClient again = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> TestClient.connect(port, Tokens.of(alice)), c -> true);
            again.close();
        } finally {
            raw.forEach(RawWebSocket::close);
        }
    }

    @Test
    void given_handshakes_cut_half_way_when_the_user_connects_again_then_every_slot_was_released() throws Exception {
        String alice = user("alice");
        for (int i = 0; i < 10; i++) {
            // The upgrade request goes out whole, and the socket closes before any answer is read:
            // half of them with a FIN, half with a reset (the server's 101 then fails to go out).
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                if (i % 2 == 1) {
                    socket.setSoLinger(true, 0);
                }
                socket.getOutputStream().write(("GET /ws?token=" + Tokens.of(alice) + " HTTP/1.1\r\n"
                        + "Host: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        }
        // All ten slots come back as soon as the server sees the sockets end (it used to hold an
        // upgraded one that never registered for 10 s).
        List<TestClient> open = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
                while (open.size() < 10) {
                    try {
                        TestClient client = TestClient.connect(port, Tokens.of(alice));
                        client.welcome();
                        open.add(client);
                    } catch (IllegalStateException refused) {
                        return false;
                    }
                }
                return true;
            });
            assertThat(TestClient.refusedStatus(port, Tokens.of(alice))).isEqualTo(429);
        } finally {
            open.forEach(TestClient::close);
        }
    }

    // ---- 503 -------------------------------------------------------------------------------

    @Test
    void given_max_connections_2_when_a_third_opens_then_503_until_one_closes() {
        try (RunningServer small = E2E.start("--max-connections", "2")) {
            TestClient first = TestClient.connect(small.port(), Tokens.of(user("alice")));
            try (TestClient second = TestClient.connect(small.port(), Tokens.of(user("bob")))) {
                first.welcome();
                second.welcome();
                assertThat(TestClient.refusedStatus(small.port(), Tokens.of(user("carol")))).isEqualTo(503);

                first.close();
                TestClient third = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                        .ignoreExceptions().until(() -> TestClient.connect(small.port(), Tokens.of(user("carol"))),
                                c -> true);
                third.welcome();
                third.close();
            }
        }
    }

    @Test
    void given_a_draining_server_when_a_client_opens_then_503_health_is_down_and_open_connections_get_1001()
            throws Exception {
        RunningServer draining = E2E.start();
        int drainingPort = draining.port();
        TestClient reading = TestClient.connect(drainingPort, Tokens.of(user("alice")));
        TestClient stuck = TestClient.connect(drainingPort, Tokens.of(user("bob")));
        reading.welcome();
        stuck.welcome();
        // A client that reads nothing more does not answer the close either: the drain waits
        // for it (up to its timeout), which leaves time to watch the draining state.
        stuck.stopReading();

        CompletableFuture<Void> drained = CompletableFuture.runAsync(draining::close);

        assertThat(reading.awaitCloseCode()).isEqualTo(1001);
        HttpResponse<String> health = E2E.get(drainingPort, "/health");
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode body = E2E.json(health);
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(TestClient.refusedStatus(drainingPort, Tokens.of(user("carol")))).isEqualTo(503);

        stuck.resume();
        assertThat(stuck.awaitCloseCode()).isEqualTo(1001);
        drained.get(20, TimeUnit.SECONDS);
        assertThat(draining.openConnections()).isZero();
    }

    // ---- other authentication modes -------------------------------------------------------

    @Test
    void given_an_rs256_public_key_when_opening_with_tokens_then_rs256_is_accepted_and_hs256_or_none_refused(
            @TempDir Path dir) {
        assertOnlyTokensOfTheKeyPass(new Tokens.KeyFile(dir, "RSA"), new Tokens.KeyFile(dir, "RSA"));
    }

    @Test
    void given_an_es256_public_key_when_opening_with_tokens_then_es256_is_accepted_and_others_refused(
            @TempDir Path dir) {
        assertOnlyTokensOfTheKeyPass(new Tokens.KeyFile(dir, "EC"), new Tokens.KeyFile(dir, "RSA"));
    }

    private static void assertOnlyTokensOfTheKeyPass(Tokens.KeyFile key, Tokens.KeyFile otherKey) {
        ParleyConfig config = ParleyConfig.fromArgs("--port", "0", "--node-id", E2E.NODE,
                "--jwt-public-key", key.publicKeyPem.toString());
        assertThat(config.insecureDev()).isFalse();
        try (RunningServer rs = RunningServer.start(config)) {
            String alice = user("alice");
            try (TestClient client = TestClient.connect(rs.port(), key.token(alice))) {
                assertThat(client.welcome().get("payload").get("user").get("id").asText()).isEqualTo(alice);
            }
            assertThat(TestClient.refusedStatus(rs.port(), Tokens.of(alice))).isEqualTo(401);
            assertThat(TestClient.refusedStatus(rs.port(), Tokens.algNone(alice))).isEqualTo(401);
            assertThat(TestClient.refusedStatus(rs.port(), otherKey.token(alice))).isEqualTo(401);
            assertThat(TestClient.refusedStatus(TestClient.uri(rs.port(), "user=alice"), Map.of())).isEqualTo(401);
        }
    }

    @Test
    void given_insecure_dev_mode_when_opening_without_a_token_then_the_user_comes_from_the_query_or_is_a_guest() {
        ParleyConfig config = ParleyConfig.fromArgs("--port", "0", "--node-id", E2E.NODE);
        assertThat(config.insecureDev()).isTrue();
        try (RunningServer dev = RunningServer.start(config)) {
            try (TestClient named = TestClient.connect(TestClient.uri(dev.port(), "user=dev-1&name=Dev%20One"),
                    Map.of())) {
                JsonNode user = named.welcome().get("payload").get("user");
                assertThat(user.get("id").asText()).isEqualTo("dev-1");
                assertThat(user.get("name").asText()).isEqualTo("Dev One");
            }
            try (TestClient guest = TestClient.connect(TestClient.uri(dev.port(), ""), Map.of())) {
                assertThat(guest.welcome().get("payload").get("user").get("id").asText()).matches("guest-[0-9a-f]{4}");
            }
        }
    }
}
