package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Pusher front door on one node, from the wire: its settings, the signatures and limits of
 * its HTTP API, the refusals pusher-js acts on, its metrics and its drain. (pusher-js, Laravel
 * Echo and the {@code pusher} SDK themselves run in client-js's tests.)
 */
class PusherE2ETest {
    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = E2E.start(PusherTestSocket.FLAGS);
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String channel(String kind) {
        return kind + E2E.room("p");
    }

    // ---- settings ---------------------------------------------------------------------------------

    @Test
    void given_some_but_not_all_pusher_settings_when_starting_then_refused_naming_the_missing_ones() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ParleyConfig.fromArgs("--pusher-app-id", "a", "--pusher-secret", "s".repeat(16)))
                .withMessageContaining("PARLEY_PUSHER_KEY").withMessageNotContaining("missing: PARLEY_PUSHER_APP_ID");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ParleyConfig.fromArgs("--pusher-app-id", "a", "--pusher-key", "k",
                        "--pusher-secret", "too-short"))
                .withMessageContaining("16 bytes");
        assertThat(ParleyConfig.fromArgs().pusher()).isEmpty();
    }

    @Test
    void given_a_server_without_pusher_settings_when_its_endpoints_are_asked_then_they_are_not_there() {
        try (RunningServer plain = E2E.start()) {
            assertThat(E2E.get(plain.port(), "/apps/" + PusherTestSocket.APP_ID + "/channels").statusCode()).isEqualTo(404);
            assertThat(E2E.get(plain.port(), "/app/" + PusherTestSocket.KEY).statusCode()).isEqualTo(404);
            assertThat(E2E.get(plain.port(), "/asyncapi-pusher.yaml").statusCode())
                    .as("the document of a front door that is off").isEqualTo(404);
        }
    }

    @Test
    void given_the_front_door_on_when_getting_asyncapi_pusher_yaml_then_200_application_yaml_with_the_bytes_of_the_docs_file()
            throws IOException {
        HttpResponse<byte[]> response = E2E.getBytes(port, "/asyncapi-pusher.yaml");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(response.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        byte[] document = Files.readAllBytes(AsyncApiDocument.pusher().path());
        // As text first, for a difference one can read; then byte for byte.
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .isEqualTo(new String(document, StandardCharsets.UTF_8));
        assertThat(response.body()).isEqualTo(document);
        assertThat(E2E.post(port, "/asyncapi-pusher.yaml", "{}").statusCode()).isEqualTo(405);
        assertThat(E2E.get(port, "/asyncapi.yaml").statusCode()).as("the /ws document beside it").isEqualTo(200);
    }

    // ---- sockets --------------------------------------------------------------------------------------

    @Test
    void given_the_right_key_when_connecting_then_connection_established_with_a_socket_id_and_the_activity_timeout() {
        try (PusherTestSocket socket = PusherTestSocket.open(port)) {
            JsonNode established = socket.await("pusher:connection_established", null);

            assertThat(established.path("data").path("socket_id").asText()).matches("[0-9]+\\.[0-9]+");
            assertThat(established.path("data").path("activity_timeout").asInt()).isEqualTo(25);
            socket.send("pusher:ping", Map.of(), null);
            socket.await("pusher:pong", null);
        }
    }

    @Test
    void given_an_unknown_key_or_another_protocol_when_connecting_then_an_error_and_the_close_pusher_js_stops_at() {
        try (PusherTestSocket wrongKey = PusherTestSocket.open(port, "no-such-key", "7");
             PusherTestSocket oldProtocol = PusherTestSocket.open(port, PusherTestSocket.KEY, "6")) {
            assertThat(wrongKey.await("pusher:error", null).path("data").path("code").asInt()).isEqualTo(4001);
            assertThat(wrongKey.awaitCloseCode()).isEqualTo(4001);
            assertThat(oldProtocol.await("pusher:error", null).path("data").path("code").asInt()).isEqualTo(4007);
            assertThat(oldProtocol.awaitCloseCode()).isEqualTo(4007);
        }
    }

    @Test
    void given_a_private_channel_when_subscribing_with_a_forged_signature_then_a_401_subscription_error_and_no_event() {
        String channel = channel("private-");
        try (PusherTestSocket socket = PusherTestSocket.open(port)) {
            socket.send("pusher:subscribe", Map.of("channel", channel, "auth", PusherTestSocket.KEY + ":"
                    + PusherTestSocket.sign("someone-else:" + channel)), null);

            JsonNode error = socket.await("pusher:subscription_error", channel);
            assertThat(error.path("data").path("status").asInt()).isEqualTo(401);
            assertThat(error.path("data").path("type").asText()).isEqualTo("AuthError");
            PusherTestSocket.api(port, "POST", "events", PusherTestSocket.trigger(channel, "secret", "{}"));
            socket.send("pusher:ping", Map.of(), null);
            socket.await("pusher:pong", null);
            assertThat(socket.events("secret")).isEmpty();
        }
    }

    @Test
    void given_an_invalid_channel_name_when_subscribing_then_pusher_error_4009() {
        try (PusherTestSocket socket = PusherTestSocket.open(port)) {
            socket.socketId();
            socket.sendRaw("{\"event\":\"pusher:subscribe\",\"data\":{\"channel\":\"no spaces allowed\"}}");

            assertThat(socket.await("pusher:error", null).path("data").path("code").asInt()).isEqualTo(4009);
        }
    }

    // ---- the HTTP API ---------------------------------------------------------------------------------

    @Test
    void given_a_signed_trigger_when_posted_then_200_and_subscribers_but_the_excluded_socket_get_the_event() {
        String channel = channel("public-");
        try (PusherTestSocket sender = PusherTestSocket.open(port);
             PusherTestSocket listener = PusherTestSocket.open(port)) {
            sender.subscribe(channel, null);
            listener.subscribe(channel, null);
            sender.await("pusher_internal:subscription_succeeded", channel);
            listener.await("pusher_internal:subscription_succeeded", channel);
            String body = "{\"channel\":\"" + channel + "\",\"name\":\"moved\",\"data\":\"{\\\"x\\\":1}\","
                    + "\"socket_id\":\"" + sender.socketId() + "\"}";

            HttpResponse<String> response = PusherTestSocket.api(port, "POST", "events", body);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{}");
            assertThat(listener.await("moved", channel).path("data").path("x").asInt()).isEqualTo(1);
            sender.send("pusher:ping", Map.of(), null);
            sender.await("pusher:pong", null);
            assertThat(sender.events("moved")).as("the socket_id is excluded").isEmpty();
        }
    }

    @Test
    void given_a_batch_when_posted_then_its_events_arrive_in_order() {
        String channel = channel("batch-");
        try (PusherTestSocket listener = PusherTestSocket.open(port)) {
            listener.subscribe(channel, null);
            listener.await("pusher_internal:subscription_succeeded", channel);
            String batch = IntStream.range(0, 10).mapToObj(i -> PusherTestSocket.trigger(channel, "step", "" + i))
                    .collect(Collectors.joining(",", "{\"batch\":[", "]}"));

            assertThat(PusherTestSocket.api(port, "POST", "batch_events", batch).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).until(() -> listener.events("step").size() == 10);
            assertThat(listener.events("step")).extracting(event -> event.path("data").asText())
                    .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        }
    }

    @Test
    void given_api_calls_with_a_stale_timestamp_a_wrong_md5_or_another_app_when_sent_then_refused() {
        String body = PusherTestSocket.trigger(channel("stale-"), "e", "{}");
        long stale = Instant.now().getEpochSecond() - 700;

        assertThat(PusherTestSocket.api(port, "POST", "events", body, Map.of(), stale).statusCode()).isEqualTo(401);
        assertThat(PusherTestSocket.api(port, "POST", "events", body, Map.of("body_md5", "0".repeat(32)),
                Instant.now().getEpochSecond()).statusCode()).as("a body_md5 that is not the body's").isEqualTo(401);
        assertThat(E2E.post(port, "/apps/" + PusherTestSocket.APP_ID + "/events", body).statusCode())
                .as("unsigned").isEqualTo(401);
        assertThat(E2E.post(port, "/apps/other-app/events", body).statusCode()).isEqualTo(404);
        assertThat(PusherTestSocket.api(port, "POST", "events", body).statusCode()).as("the same, signed").isEqualTo(200);
    }

    @Test
    void given_events_over_the_limits_when_posted_then_413_or_400() {
        String channel = channel("limits-");

        assertThat(PusherTestSocket.api(port, "POST", "events",
                PusherTestSocket.trigger(channel, "big", "x".repeat(10 * 1024 + 1))).statusCode()).isEqualTo(413);
        assertThat(PusherTestSocket.api(port, "POST", "events",
                PusherTestSocket.trigger(channel, "n".repeat(201), "{}")).statusCode()).isEqualTo(400);
        String manyChannels = IntStream.range(0, 101).mapToObj(i -> "\"c" + i + "\"")
                .collect(Collectors.joining(",", "{\"name\":\"e\",\"data\":\"{}\",\"channels\":[", "]}"));
        assertThat(PusherTestSocket.api(port, "POST", "events", manyChannels).statusCode()).isEqualTo(400);
        String bigBatch = IntStream.range(0, 11).mapToObj(i -> PusherTestSocket.trigger(channel, "e", "{}"))
                .collect(Collectors.joining(",", "{\"batch\":[", "]}"));
        assertThat(PusherTestSocket.api(port, "POST", "batch_events", bigBatch).statusCode()).isEqualTo(400);
        assertThat(PusherTestSocket.api(port, "POST", "events",
                PusherTestSocket.trigger(channel, "e", "x".repeat(10 * 1024))).statusCode()).as("at the limit").isEqualTo(200);
    }

    @Test
    void given_a_presence_channel_with_two_tabs_of_one_user_when_the_api_is_asked_then_counts_and_users_are_right() {
        String channel = channel("presence-");
        try (PusherTestSocket first = PusherTestSocket.open(port);
             PusherTestSocket second = PusherTestSocket.open(port)) {
            first.subscribe(channel, "{\"user_id\":7}");
            second.subscribe(channel, "{\"user_id\":\"7\",\"user_info\":{\"name\":\"Seven\"}}");
            first.await("pusher_internal:subscription_succeeded", channel);
            second.await("pusher_internal:subscription_succeeded", channel);

            HttpResponse<String> info = PusherTestSocket.api(port, "GET", "channels/" + channel, null,
                    Map.of("info", "user_count,subscription_count"), Instant.now().getEpochSecond());
            HttpResponse<String> users = PusherTestSocket.api(port, "GET", "channels/" + channel + "/users", null);
            HttpResponse<String> listed = PusherTestSocket.api(port, "GET", "channels", null,
                    Map.of("filter_by_prefix", channel, "info", "user_count"), Instant.now().getEpochSecond());

            assertThat(E2E.json(info)).isEqualTo(E2E.json("{\"occupied\":true,\"user_count\":1,\"subscription_count\":2}"));
            assertThat(E2E.json(users)).isEqualTo(E2E.json("{\"users\":[{\"id\":\"7\"}]}"));
            assertThat(E2E.json(listed).path("channels").path(channel).path("user_count").asInt()).isEqualTo(1);
            assertThat(first.events("pusher_internal:member_added")).as("a second tab is no arrival").isEmpty();
        }
    }

    @Test
    void given_users_of_a_public_channel_or_user_count_without_the_presence_prefix_when_asked_then_400() {
        assertThat(PusherTestSocket.api(port, "GET", "channels/" + channel("public-") + "/users", null).statusCode())
                .isEqualTo(400);
        assertThat(PusherTestSocket.api(port, "GET", "channels", null, Map.of("info", "user_count"),
                Instant.now().getEpochSecond()).statusCode()).isEqualTo(400);
    }

    @Test
    void given_traffic_on_both_front_doors_when_scraping_metrics_then_frames_and_connections_are_counted_by_protocol() {
        try (PusherTestSocket socket = PusherTestSocket.open(port)) {
            socket.send("pusher:ping", Map.of(), null);
            socket.await("pusher:pong", null);

            String metrics = E2E.get(port, "/metrics").body();

            assertThat(metrics)
                    .containsPattern("(?m)^parley_connections\\{protocol=\"pusher\"} [1-9]")
                    .containsPattern("(?m)^parley_connections\\{protocol=\"parley\"} [0-9]")
                    .containsPattern("(?m)^parley_frames_in_total\\{protocol=\"pusher\",type=\"pusher:ping\"} [1-9]")
                    .containsPattern("(?m)^parley_frames_out_total\\{protocol=\"pusher\",type=\"pusher:pong\"} [1-9]");
        }
    }

    // ---- drain --------------------------------------------------------------------------------------

    @Test
    void given_a_draining_node_when_it_stops_then_pusher_sockets_are_told_to_reconnect_at_once_with_4200() {
        RunningServer draining = E2E.start(PusherTestSocket.FLAGS);
        try (PusherTestSocket socket = PusherTestSocket.open(draining.port())) {
            socket.socketId();

            draining.close();

            assertThat(socket.awaitCloseCode()).isEqualTo(4200);
        }
    }
}
