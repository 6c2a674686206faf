package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.room;
import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** docs/protocol.md section 6: every error code the server can be made to send, with its {@code replyTo}. */
class ErrorsE2ETest {
    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = E2E.start("--rate-per-second", "1000", "--rate-burst", "1000");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestClient connect(String user) {
        TestClient client = TestClient.connect(port, Tokens.of(user));
        client.welcome();
        return client;
    }

    /**
     * Sends a raw frame and returns the next error, checking its replyTo (null: none expected). A
     * frame refused for what it asks rather than for how it is written must match docs/asyncapi.yaml.
     */
    private static JsonNode errorFor(TestClient client, String frame, String replyTo) {
        client.sendRaw(frame);
        JsonNode error = client.await(f -> TestClient.type(f).equals("error"));
        if (!List.of("bad_request", "unknown_type", "too_large").contains(code(error))) {
            assertThat(AsyncApiDocument.parley().clientViolations(frame)).as("the document on %s", frame).isEmpty();
        }
        if (replyTo == null) {
            assertThat(error.has("replyTo")).as("replyTo of the error for %s", frame).isFalse();
        } else {
            assertThat(error.path("replyTo").asText()).as("replyTo of the error for %s", frame).isEqualTo(replyTo);
        }
        assertThat(error.get("payload").get("message").asText()).as("message for %s", frame).isNotBlank();
        assertThat(error.get("timestamp").isIntegralNumber()).isTrue();
        return error;
    }

    private static String code(JsonNode error) {
        return error.get("payload").get("code").asText();
    }

    private static String chatFrame(String id, String room, String textJson) {
        return "{\"type\":\"chat\",\"id\":\"" + id + "\",\"payload\":{\"room\":\"" + room + "\",\"text\":" + textJson
                + "}}";
    }

    // ---- bad_request -----------------------------------------------------------------------

    @Test
    void given_frames_that_are_not_json_objects_when_sent_then_bad_request_without_reply_to_and_the_connection_stays() {
        try (TestClient a = connect(user("alice"))) {
            for (String frame : List.of("{oops", "not json at all", "", "[1,2,3]", "\"text\"", "42", "null",
                    "{\"type\":\"ping\",\"id\":\"x\"} trailing")) {
                assertThat(code(errorFor(a, frame, null))).as("frame %s", frame).isEqualTo("bad_request");
            }
            assertThat(a.request("ping", Map.of()).get("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void given_a_missing_or_ill_typed_type_when_sent_then_bad_request_with_reply_to_its_valid_id() {
        try (TestClient a = connect(user("alice"))) {
            assertThat(code(errorFor(a, "{\"id\":\"t1\"}", "t1"))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"id\":\"t2\",\"type\":5}", "t2"))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"id\":\"t3\",\"type\":null}", "t3"))).isEqualTo("bad_request");
        }
    }

    @Test
    void given_a_missing_or_invalid_id_when_a_reply_is_due_then_bad_request_without_reply_to() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("ids");
            assertThat(code(errorFor(a, "{\"type\":\"ping\"}", null))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"type\":\"join_room\",\"payload\":{\"room\":\"" + room + "\"}}", null)))
                    .isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"type\":\"ping\",\"id\":\"has space\"}", null))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"type\":\"ping\",\"id\":\"\"}", null))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"type\":\"ping\",\"id\":5}", null))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, "{\"type\":\"ping\",\"id\":\"" + "x".repeat(65) + "\"}", null)))
                    .isEqualTo("bad_request");
            // The boundary: 64 characters of [A-Za-z0-9_-] is a valid id.
            String longest = "aZ0_-".repeat(12) + "abcd";
            a.send("{\"type\":\"ping\",\"id\":\"" + longest + "\"}");
            assertThat(a.reply(longest).get("type").asText()).isEqualTo("pong");
            // A UUID fits.
            String uuid = java.util.UUID.randomUUID().toString();
            a.send("{\"type\":\"ping\",\"id\":\"" + uuid + "\"}");
            assertThat(a.reply(uuid).get("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void given_fields_of_the_wrong_json_type_when_sent_then_bad_request_with_reply_to_and_no_coercion() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("types");
            a.join(room);
            Map<String, String> frames = Map.ofEntries(
                    Map.entry("w1", chatFrame("w1", room, "5")),
                    Map.entry("w2", chatFrame("w2", room, "null")),
                    Map.entry("w3", chatFrame("w3", room, "[\"hi\"]")),
                    Map.entry("w4", "{\"type\":\"chat\",\"id\":\"w4\",\"payload\":{\"room\":5,\"text\":\"hi\"}}"),
                    Map.entry("w5", "{\"type\":\"chat\",\"id\":\"w5\",\"payload\":{\"text\":\"hi\"}}"),
                    Map.entry("w6", "{\"type\":\"chat\",\"id\":\"w6\",\"payload\":\"room\"}"),
                    Map.entry("w7", "{\"type\":\"chat\",\"id\":\"w7\",\"payload\":[1]}"),
                    Map.entry("w8", "{\"type\":\"typing\",\"id\":\"w8\",\"payload\":{\"room\":\"" + room
                            + "\",\"active\":\"yes\"}}"),
                    Map.entry("w9", "{\"type\":\"typing\",\"id\":\"w9\",\"payload\":{\"room\":\"" + room
                            + "\",\"active\":1}}"),
                    Map.entry("w10", "{\"type\":\"chat\",\"id\":\"w10\",\"payload\":{\"room\":\"" + room
                            + "\",\"text\":\"hi\",\"data\":\"not an object\"}}"),
                    Map.entry("w11", "{\"type\":\"chat\",\"id\":\"w11\",\"payload\":{\"room\":\"" + room
                            + "\",\"text\":\"hi\",\"data\":[1,2]}}"),
                    Map.entry("w12", "{\"type\":\"join_room\",\"id\":\"w12\",\"payload\":{\"room\":\"" + room
                            + "\",\"since\":\"3\"}}"),
                    Map.entry("w13", "{\"type\":\"leave_room\",\"id\":\"w13\",\"payload\":{\"room\":true}}"),
                    Map.entry("w14", "{\"type\":\"presence\",\"id\":\"w14\",\"payload\":{}}"),
                    Map.entry("w15", "{\"type\":\"history\",\"id\":\"w15\",\"payload\":{\"room\":[\"" + room + "\"]}}"));
            for (Map.Entry<String, String> frame : frames.entrySet()) {
                assertThat(code(errorFor(a, frame.getValue(), frame.getKey()))).as(frame.getValue())
                        .isEqualTo("bad_request");
            }
            // Nothing was stored on the way: the next message is seq 1.
            assertThat(a.chat(room, "first real one").get("seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void given_bad_room_names_when_used_then_bad_request_and_128_characters_of_the_alphabet_are_fine() {
        try (TestClient a = connect(user("alice"))) {
            List<String> bad = List.of("bad room", "bad/room", "", "r".repeat(129), "caf\u00e9", "private:", "user:",
                    "emoji\ud83d\ude00");
            for (String room : bad) {
                JsonNode error = a.requestRaw("join_room", Map.of("room", room));
                assertThat(error.get("type").asText()).as("room '%s'", room).isEqualTo("error");
                assertThat(code(error)).as("room '%s'", room).isEqualTo("bad_request");
            }
            String longest = "Az09_.:-".repeat(16);
            assertThat(longest).hasSize(128);
            assertThat(a.join(longest).get("room").asText()).isEqualTo(longest);
        }
    }

    @Test
    void given_since_positions_with_bad_seqs_when_joining_then_bad_request() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("since");
            String epoch = a.join(room).get("epoch").asText();
            a.leave(room);
            List<String> badSeqs = List.of("\"3\"", "3.5", "-1", "9007199254740993", "1e400", "null", "true",
                    "18446744073709551616");
            for (String seq : badSeqs) {
                String id = "s" + Math.abs(seq.hashCode());
                JsonNode error = errorFor(a, "{\"type\":\"join_room\",\"id\":\"" + id + "\",\"payload\":{\"room\":\""
                        + room + "\",\"since\":{\"seq\":" + seq + ",\"epoch\":\"" + epoch + "\"}}}", id);
                assertThat(code(error)).as("seq %s", seq).isEqualTo("bad_request");
            }
            // The upper bound itself, 2^53, is a valid seq (and beyond this room's latest: not recovered).
            JsonNode ack = a.ack("join_room", Map.of("room", room, "since",
                    Map.of("seq", 9007199254740992L, "epoch", epoch)));
            assertThat(ack.get("recovered").asBoolean(true)).isFalse();
        }
    }

    @Test
    void given_since_positions_with_bad_epochs_when_joining_then_bad_request_and_64_characters_are_fine() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("epoch");
            List<String> badEpochs = List.of("\"" + "e".repeat(65) + "\"", "42", "null", "\"\"", "{\"v\":\"x\"}");
            for (String epoch : badEpochs) {
                String id = "e" + Math.abs(epoch.hashCode());
                JsonNode error = errorFor(a, "{\"type\":\"join_room\",\"id\":\"" + id + "\",\"payload\":{\"room\":\""
                        + room + "\",\"since\":{\"seq\":0,\"epoch\":" + epoch + "}}}", id);
                assertThat(code(error)).as("epoch %s", epoch).isEqualTo("bad_request");
            }
            JsonNode missing = errorFor(a, "{\"type\":\"join_room\",\"id\":\"e-missing\",\"payload\":{\"room\":\""
                    + room + "\",\"since\":{\"seq\":0}}}", "e-missing");
            assertThat(code(missing)).isEqualTo("bad_request");

            JsonNode ack = a.ack("join_room", Map.of("room", room, "since", Map.of("seq", 0, "epoch", "e".repeat(64))));
            assertThat(ack.get("recovered").asBoolean(true)).isFalse();
            assertThat(ack.get("replay").asInt()).isZero();
        }
    }

    @Test
    void given_text_with_an_unpaired_surrogate_or_nothing_left_after_cleaning_when_chatting_then_bad_request() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("surrogates");
            a.join(room);
            assertThat(code(errorFor(a, chatFrame("u1", room, "\"broken \\ud800 text\""), "u1"))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, chatFrame("u2", room, "\"\\udc00\""), "u2"))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, chatFrame("u3", room, "\" \\u0007 \\r\\n \""), "u3"))).isEqualTo("bad_request");
            assertThat(code(errorFor(a, chatFrame("u4", room, "\"\""), "u4"))).isEqualTo("bad_request");
            // A proper pair is fine.
            a.send(chatFrame("u5", room, "\"smile \\ud83d\\ude00\""));
            assertThat(a.reply("u5").get("type").asText()).isEqualTo("ack");
            assertThat(a.awaitChat(room).get("text").asText()).isEqualTo("smile \ud83d\ude00");
        }
    }

    // ---- unknown_type ----------------------------------------------------------------------

    @Test
    void given_an_unknown_type_when_sent_then_unknown_type_with_reply_to_when_it_had_a_valid_id() {
        try (TestClient a = connect(user("alice"))) {
            assertThat(code(errorFor(a, "{\"type\":\"dance\",\"id\":\"d1\",\"payload\":{}}", "d1")))
                    .isEqualTo("unknown_type");
            assertThat(code(errorFor(a, "{\"type\":\"dance\"}", null))).isEqualTo("unknown_type");
            assertThat(code(errorFor(a, "{\"type\":\"CHAT\",\"id\":\"d2\"}", "d2"))).isEqualTo("unknown_type");
            assertThat(code(errorFor(a, "{\"type\":\"welcome\",\"id\":\"d3\"}", "d3"))).isEqualTo("unknown_type");
        }
    }

    // ---- too_large -------------------------------------------------------------------------

    @Test
    void given_text_over_4000_code_points_when_chatting_then_too_large_and_4000_code_points_are_fine() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("large-text");
            a.join(room);
            assertThat(code(errorFor(a, chatFrame("l1", room, "\"" + "x".repeat(4001) + "\""), "l1")))
                    .isEqualTo("too_large");
            a.send(chatFrame("l2", room, "\"" + "x".repeat(4000) + "\""));
            assertThat(a.reply("l2").get("type").asText()).isEqualTo("ack");
            // Code points, not UTF-16 units: 4000 emoji are 8000 chars and still fine.
            String emoji = "\ud83d\ude00".repeat(4000);
            JsonNode ack = a.request("chat", Map.of("room", room, "text", emoji));
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            JsonNode over = a.requestRaw("chat", Map.of("room", room, "text", emoji + "!"));
            assertThat(code(over)).isEqualTo("too_large");
            // Outer white space does not count: it is trimmed first. (Raw: the document's maxLength
            // counts the text as sent, so it refuses this one; it asks for clean text.)
            assertThat(a.requestRaw("chat", Map.of("room", room, "text", "  " + "y".repeat(4000) + "  "))
                    .get("type").asText()).isEqualTo("ack");
        }
    }

    @Test
    void given_data_over_8_kib_or_nested_over_16_when_chatting_then_too_large_and_the_limits_themselves_are_fine() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("large-data");
            a.join(room);
            // {"p":"..."} is 8 bytes plus the string.
            JsonNode atLimit = a.request("chat", Map.of("room", room, "text", "hi", "data", Map.of("p", "d".repeat(8184))));
            assertThat(atLimit.get("type").asText()).as("%s", atLimit).isEqualTo("ack");
            JsonNode over = a.request("chat", Map.of("room", room, "text", "hi", "data", Map.of("p", "d".repeat(8185))));
            assertThat(over.get("type").asText()).isEqualTo("error");
            assertThat(code(over)).isEqualTo("too_large");

            a.send(chatFrame("n16", room, "\"deep\",\"data\":" + nested(16)));
            assertThat(a.reply("n16").get("type").asText()).isEqualTo("ack");
            assertThat(code(errorFor(a, chatFrame("n17", room, "\"deeper\",\"data\":" + nested(17)), "n17")))
                    .isEqualTo("too_large");
        }
    }

    /** A data object nested {@code depth} deep: {"a":{"a":...{"a":1}}}. */
    private static String nested(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    // ---- not_member ------------------------------------------------------------------------

    @Test
    void given_a_room_not_joined_when_chatting_then_not_member_with_reply_to_and_nothing_stored() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("outside");
            assertThat(code(errorFor(a, chatFrame("nm1", room, "\"hi\""), "nm1"))).isEqualTo("not_member");
            assertThat(a.ack("history", Map.of("room", room)).get("messages").size()).isZero();
        }
    }

    // ---- forbidden -------------------------------------------------------------------------

    @Test
    void given_no_grant_when_joining_reading_or_querying_a_private_room_then_forbidden() {
        try (TestClient a = connect(user("alice"))) {
            String room = "private:" + room("secret");
            assertThat(code(errorFor(a, "{\"type\":\"join_room\",\"id\":\"f1\",\"payload\":{\"room\":\"" + room
                    + "\"}}", "f1"))).isEqualTo("forbidden");
            assertThat(code(errorFor(a, "{\"type\":\"history\",\"id\":\"f2\",\"payload\":{\"room\":\"" + room
                    + "\"}}", "f2"))).isEqualTo("forbidden");
            assertThat(code(errorFor(a, "{\"type\":\"presence\",\"id\":\"f3\",\"payload\":{\"room\":\"" + room
                    + "\"}}", "f3"))).isEqualTo("forbidden");
        }
    }

    @Test
    void given_a_rooms_claim_glob_when_joining_private_rooms_then_matching_ones_are_permitted_and_others_forbidden() {
        String alice = user("alice");
        String team = room("team");
        try (TestClient a = TestClient.connect(port, Tokens.withRooms(alice, List.of("private:" + team + "-*",
                "private:exact")))) {
            a.welcome();
            assertThat(a.join("private:" + team + "-red").get("room").asText()).isEqualTo("private:" + team + "-red");
            assertThat(a.join("private:" + team + "-blue.x").get("presence").size()).isEqualTo(1);
            assertThat(a.join("private:exact").get("room").asText()).isEqualTo("private:exact");
            a.chat("private:" + team + "-red", "inside");
            assertThat(a.ack("history", Map.of("room", "private:" + team + "-red")).get("messages").size())
                    .isEqualTo(1);

            for (String room : List.of("private:" + team, "private:other-" + team + "-red", "private:exactly")) {
                JsonNode error = a.request("join_room", Map.of("room", room));
                assertThat(code(error)).as(room).isEqualTo("forbidden");
            }
        }
    }

    @Test
    void given_another_users_personal_room_when_joining_then_forbidden_and_ones_own_is_permitted() {
        String alice = user("alice");
        String bob = user("bob");
        try (TestClient a = connect(alice)) {
            assertThat(code(errorFor(a, "{\"type\":\"join_room\",\"id\":\"p1\",\"payload\":{\"room\":\"user:" + bob
                    + "\"}}", "p1"))).isEqualTo("forbidden");
            assertThat(code(errorFor(a, "{\"type\":\"history\",\"id\":\"p2\",\"payload\":{\"room\":\"user:" + bob
                    + "\"}}", "p2"))).isEqualTo("forbidden");
            assertThat(a.join("user:" + alice).get("room").asText()).isEqualTo("user:" + alice);
        }
    }

    @Test
    void given_an_api_notification_to_a_personal_room_when_its_owner_is_joined_then_it_arrives() {
        String alice = user("alice");
        try (TestClient a = connect(alice)) {
            a.join("user:" + alice);
            assertThat(E2E.post(port, "/api/rooms/user:" + alice + "/messages", "{\"text\":\"you have mail\"}",
                    E2E.admin()).statusCode()).isEqualTo(201);
            JsonNode message = a.awaitChat("user:" + alice);
            assertThat(message.get("text").asText()).isEqualTo("you have mail");
            assertThat(message.get("from").get("id").asText()).isEqualTo("system");
        }
    }

    // ---- too_many_rooms at the default limit -----------------------------------------------

    @Test
    void given_100_joined_rooms_when_joining_a_101st_then_too_many_rooms_but_a_rejoin_is_fine() {
        try (TestClient a = connect(user("alice"))) {
            String prefix = room("many");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add(a.send("join_room", "j" + i, Map.of("room", prefix + "-" + i)));
            }
            ids.forEach(id -> assertThat(a.reply(id).get("type").asText()).as(id).isEqualTo("ack"));

            JsonNode error = errorFor(a, "{\"type\":\"join_room\",\"id\":\"j100\",\"payload\":{\"room\":\"" + prefix
                    + "-100\"}}", "j100");
            assertThat(code(error)).isEqualTo("too_many_rooms");
            assertThat(a.join(prefix + "-0").get("room").asText()).isEqualTo(prefix + "-0");
            a.leave(prefix + "-1");
            assertThat(a.join(prefix + "-100").get("room").asText()).isEqualTo(prefix + "-100");
        }
    }

    // ---- error flood -----------------------------------------------------------------------

    @Test
    void given_20_errors_within_10_seconds_when_a_21st_comes_then_the_connection_is_closed_with_1008() {
        try (TestClient a = connect(user("alice")); TestClient bystander = connect(user("bob"))) {
            String room = room("flood");
            List<String> bad = List.of("{oops", "{\"type\":\"dance\",\"id\":\"x\"}",
                    chatFrame("c", room, "\"not joined\""), "{\"type\":\"join_room\",\"id\":\"f\",\"payload\":{\"room\":\"private:x\"}}",
                    "{\"type\":\"ping\"}");
            for (int i = 0; i < 20; i++) {
                a.sendRaw(bad.get(i % bad.size()));
            }
            // 20 errors: still open, and pings are not errors.
            JsonNode pong = a.request("ping", Map.of());
            assertThat(pong.get("type").asText()).isEqualTo("pong");
            assertThat(a.received("error")).hasSize(20);
            assertThat(a.isOpen()).isTrue();

            a.sendRaw("{oops");

            assertThat(a.awaitCloseCode()).isEqualTo(1008);
            assertThat(a.received("error")).hasSize(21);
            assertThat(bystander.request("ping", Map.of()).get("type").asText()).isEqualTo("pong");
        }
    }

    // ---- limits that have no flag: room_full and too_many_rooms on small limits ------------

    @Nested
    class SmallRoomLimits {
        private RunningServer small;

        private TestClient connectSmall(String user) {
            TestClient client = TestClient.connect(small.port(), Tokens.of(user));
            client.welcome();
            return client;
        }

        @org.junit.jupiter.api.BeforeEach
        void startSmall() {
            small = RunningServer.start(E2E.config("--max-rooms-per-connection", "3", "--max-members-per-room", "2"));
        }

        @org.junit.jupiter.api.AfterEach
        void stopSmall() {
            small.close();
        }

        @Test
        void given_a_connection_at_its_room_limit_when_joining_another_then_too_many_rooms_until_it_leaves_one() {
            String alice = user("alice");
            try (TestClient a = connectSmall(alice); TestClient a2 = connectSmall(alice)) {
                a.join("r1");
                a.join("r2");
                a.join("r3");
                JsonNode error = errorFor(a, "{\"type\":\"join_room\",\"id\":\"r4\",\"payload\":{\"room\":\"r4\"}}", "r4");
                assertThat(code(error)).isEqualTo("too_many_rooms");
                assertThat(a.join("r2").get("room").asText()).isEqualTo("r2");
                // The limit is per connection.
                assertThat(a2.join("r4").get("room").asText()).isEqualTo("r4");
                a.leave("r1");
                assertThat(a.join("r4").get("room").asText()).isEqualTo("r4");
            }
        }

        @Test
        void given_a_room_at_its_member_limit_when_a_new_user_joins_then_room_full_but_a_second_tab_is_fine() {
            String alice = user("alice");
            try (TestClient a = connectSmall(alice); TestClient b = connectSmall(user("bob"));
                 TestClient c = connectSmall(user("carol")); TestClient a2 = connectSmall(alice)) {
                a.join("full");
                b.join("full");
                JsonNode error = errorFor(c, "{\"type\":\"join_room\",\"id\":\"c1\",\"payload\":{\"room\":\"full\"}}", "c1");
                assertThat(code(error)).isEqualTo("room_full");
                // A user already present takes no new member slot.
                assertThat(a2.join("full").get("presence").size()).isEqualTo(2);
                b.leave("full");
                assertThat(c.join("full").get("presence").size()).isEqualTo(2);
            }
        }
    }

    // ---- rate_limited ----------------------------------------------------------------------

    @Nested
    class RateLimit {
        private RunningServer limited;

        @org.junit.jupiter.api.BeforeEach
        void startLimited() {
            limited = E2E.start("--rate-per-second", "2", "--rate-burst", "3");
        }

        @org.junit.jupiter.api.AfterEach
        void stopLimited() {
            limited.close();
        }

        @Test
        void given_a_burst_of_3_when_6_pings_come_at_once_then_the_burst_passes_and_the_rest_is_rate_limited_with_retry_after()
                throws InterruptedException {
            try (TestClient a = TestClient.connect(limited.port(), Tokens.of(user("alice")))) {
                a.welcome();
                for (int i = 1; i <= 6; i++) {
                    a.send("ping", "p" + i, null);
                }
                List<JsonNode> replies = new ArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    replies.add(a.reply("p" + i));
                }
                // The burst passes; of the rest at most one can have met a refilled token (one per 500 ms).
                assertThat(replies.subList(0, 3)).allMatch(r -> TestClient.type(r).equals("pong"));
                List<JsonNode> limitedAnswers = replies.stream().filter(r -> TestClient.type(r).equals("error")).toList();
                assertThat(limitedAnswers).hasSizeBetween(2, 3);
                long retryAfter = 0;
                for (JsonNode error : limitedAnswers) {
                    assertThat(code(error)).isEqualTo("rate_limited");
                    assertThat(error.get("replyTo").asText()).startsWith("p");
                    assertThat(error.get("payload").get("retryAfterMs").isIntegralNumber()).isTrue();
                    assertThat(error.get("payload").get("retryAfterMs").asLong()).isBetween(1L, 1000L);
                    retryAfter = Math.max(retryAfter, error.get("payload").get("retryAfterMs").asLong());
                }
                // Doing what retryAfterMs says: after that long, the next frame is accepted.
                TimeUnit.MILLISECONDS.sleep(retryAfter);
                assertThat(a.request("ping", Map.of()).get("type").asText()).isEqualTo("pong");
            }
        }

        @Test
        void given_rate_limited_chats_when_answered_then_nothing_of_them_was_stored() {
            try (TestClient a = TestClient.connect(limited.port(), Tokens.of(user("alice")))) {
                a.welcome();
                String room = room("limited");
                a.send("join_room", "j", Map.of("room", room));
                for (int i = 1; i <= 5; i++) {
                    a.send("chat", "c" + i, Map.of("room", room, "text", "m" + i));
                }
                assertThat(a.reply("j").get("type").asText()).isEqualTo("ack");
                List<String> answers = new ArrayList<>();
                for (int i = 1; i <= 5; i++) {
                    JsonNode reply = a.reply("c" + i);
                    answers.add(TestClient.type(reply).equals("ack") ? "ack" : code(reply));
                }
                // join_room took one token of the burst of 3: two chats pass, the rest is refused.
                assertThat(answers.subList(0, 2)).containsExactly("ack", "ack");
                assertThat(answers).contains("rate_limited").allMatch(a1 -> a1.equals("ack") || a1.equals("rate_limited"));
                long acked = answers.stream().filter("ack"::equals).count();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                        .pollInterval(java.time.Duration.ofMillis(600))
                        .until(() -> TestClient.type(a.request("history", Map.of("room", room))).equals("ack"));
                JsonNode page = a.received("ack").stream()
                        .filter(f -> f.get("payload").has("messages")).findFirst().orElseThrow().get("payload");
                assertThat(page.get("messages").size()).isEqualTo(acked);
            }
        }

        @Test
        void given_many_rate_limited_answers_when_over_20_then_they_do_not_count_as_errors_and_the_connection_stays() {
            try (TestClient a = TestClient.connect(limited.port(), Tokens.of(user("alice")))) {
                a.welcome();
                for (int i = 1; i <= 40; i++) {
                    a.send("ping", "q" + i, null);
                }
                for (int i = 1; i <= 40; i++) {
                    a.reply("q" + i);
                }
                List<JsonNode> errors = a.received("error");
                assertThat(errors).hasSizeGreaterThan(30);
                assertThat(errors).allMatch(e -> code(e).equals("rate_limited"));
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                        .pollInterval(java.time.Duration.ofMillis(600))
                        .until(() -> TestClient.type(a.request("ping", Map.of())).equals("pong"));
                assertThat(a.isOpen()).isTrue();
            }
        }
    }
}
