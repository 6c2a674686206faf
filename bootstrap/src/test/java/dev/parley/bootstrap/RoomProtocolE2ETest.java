package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.room;
import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md sections 3 and 4 on the real server: every client type and its reply, every
 * server event and who gets it.
 */
class RoomProtocolE2ETest {
    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        // A generous rate limit: these tests pipeline frames and must not meet rate_limited.
        server = E2E.start("--rate-per-second", "1000", "--rate-burst", "1000");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestClient connect(String user) {
        return TestClient.connect(port, Tokens.of(user));
    }

    private static List<String> ids(JsonNode users) {
        List<String> ids = new ArrayList<>();
        users.forEach(u -> ids.add(u.get("id").asText()));
        return ids;
    }

    // ---- welcome ---------------------------------------------------------------------------

    @Test
    void given_a_valid_token_when_connecting_then_the_first_frame_is_welcome_with_every_field() {
        String alice = user("alice");
        long before = System.currentTimeMillis();
        try (TestClient client = connect(alice)) {
            JsonNode welcome = client.welcome();

            assertThat(client.received().get(0)).isSameAs(welcome);
            assertThat(welcome.has("replyTo")).isFalse();
            assertThat(welcome.get("timestamp").isIntegralNumber()).isTrue();
            assertThat(welcome.get("timestamp").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            JsonNode payload = welcome.get("payload");
            assertThat(payload.get("connectionId").asText()).isNotBlank();
            assertThat(payload.get("user").get("id").asText()).isEqualTo(alice);
            assertThat(payload.get("user").get("name").asText()).isEqualTo("A" + alice.substring(1));
            assertThat(payload.get("node").asText()).isEqualTo(E2E.NODE);
            assertThat(payload.get("protocol").isInt()).isTrue();
            assertThat(payload.get("protocol").asInt()).isEqualTo(1);
            assertThat(payload.get("heartbeat").get("intervalMs").asLong()).isEqualTo(25_000);
            assertThat(payload.get("heartbeat").get("timeoutMs").asLong()).isEqualTo(20_000);
            JsonNode limits = payload.get("limits");
            assertThat(limits.isObject()).isTrue();
            assertThat(limits.get("maxTextLength").asInt()).isEqualTo(4000);
            assertThat(limits.get("maxDataBytes").asInt()).isEqualTo(8 * 1024);
            assertThat(limits.get("maxFrameBytes").asInt()).isEqualTo(64 * 1024);
            assertThat(limits.get("maxRoomsPerConnection").asInt()).isEqualTo(100);
            assertThat(limits.get("maxConnectionsPerUser").asInt()).isEqualTo(10);
            assertThat(limits.get("maxMembersPerRoom").asInt()).isEqualTo(10_000);
        }
    }

    @Test
    void given_a_token_without_name_when_connecting_then_the_name_defaults_to_the_sub() {
        String bob = user("bob");
        String token = Tokens.hs256(Tokens.SECRET, Tokens.claims(bob, null,
                java.time.Instant.now().plusSeconds(3600), null));
        try (TestClient client = TestClient.connect(port, token)) {
            JsonNode user = client.welcome().get("payload").get("user");
            assertThat(user.get("id").asText()).isEqualTo(bob);
            assertThat(user.get("name").asText()).isEqualTo(bob);
        }
    }

    @Test
    void given_two_connections_of_one_user_when_welcomed_then_their_connection_ids_differ() {
        String alice = user("alice");
        try (TestClient first = connect(alice); TestClient second = connect(alice)) {
            assertThat(first.welcome().get("payload").get("connectionId").asText())
                    .isNotEqualTo(second.welcome().get("payload").get("connectionId").asText());
        }
    }

    @Test
    void given_a_token_in_the_query_when_connecting_then_it_is_accepted_like_the_header() {
        String alice = user("alice");
        try (TestClient client = TestClient.connect(TestClient.uri(port, "token=" + Tokens.of(alice)), Map.of())) {
            assertThat(client.welcome().get("payload").get("user").get("id").asText()).isEqualTo(alice);
        }
    }

    // ---- join_room -------------------------------------------------------------------------

    @Test
    void given_a_new_room_when_joining_then_the_ack_has_every_field_and_seq_zero() {
        String alice = user("alice");
        String room = room("lobby");
        try (TestClient client = connect(alice)) {
            client.welcome();
            String id = client.send("join_room", "join-1", Map.of("room", room));
            JsonNode ack = client.reply(id);

            assertThat(ack.get("type").asText()).isEqualTo("ack");
            assertThat(ack.get("replyTo").asText()).isEqualTo("join-1");
            assertThat(ack.get("timestamp").isIntegralNumber()).isTrue();
            JsonNode payload = ack.get("payload");
            assertThat(payload.get("room").asText()).isEqualTo(room);
            assertThat(payload.get("epoch").isTextual()).isTrue();
            assertThat(payload.get("epoch").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
            assertThat(payload.get("seq").isIntegralNumber()).isTrue();
            assertThat(payload.get("seq").asLong()).isZero();
            assertThat(payload.get("recovered").asBoolean(true)).isFalse();
            assertThat(payload.get("replay").asInt(-1)).isZero();
            assertThat(ids(payload.get("presence"))).containsExactly(alice);
            assertThat(payload.get("presence").get(0).get("name").asText()).isEqualTo("A" + alice.substring(1));
        }
    }

    @Test
    void given_a_room_with_messages_and_members_when_joining_then_the_ack_has_the_latest_seq_and_everyone_present() {
        String alice = user("alice");
        String bob = user("bob");
        String room = room("busy");
        try (TestClient a = connect(alice); TestClient b = connect(bob)) {
            String epoch = a.join(room).get("epoch").asText();
            a.chat(room, "one");
            a.chat(room, "two");

            JsonNode ack = b.join(room);

            assertThat(ack.get("seq").asLong()).isEqualTo(2);
            assertThat(ack.get("epoch").asText()).isEqualTo(epoch);
            assertThat(ack.get("recovered").asBoolean()).isFalse();
            assertThat(ack.get("replay").asInt()).isZero();
            assertThat(ids(ack.get("presence"))).containsExactlyInAnyOrder(alice, bob);
            // Joined without since: nothing older than the ack's seq is sent, the next one is.
            a.chat(room, "three");
            assertThat(b.awaitChat(room).get("seq").asLong()).isEqualTo(3);
            assertThat(b.chatSeqs(room)).containsExactly(3L);
        }
    }

    @Test
    void given_a_joined_room_when_joining_it_again_then_the_ack_is_a_fresh_one_and_delivery_is_not_doubled() {
        String alice = user("alice");
        String room = room("twice");
        try (TestClient a = connect(alice)) {
            a.join(room);
            a.chat(room, "before");
            JsonNode again = a.join(room);
            assertThat(again.get("room").asText()).isEqualTo(room);
            assertThat(again.get("seq").asLong()).isEqualTo(1);
            assertThat(ids(again.get("presence"))).containsExactly(alice);

            a.chat(room, "after");
            a.chat(room, "marker");
            a.awaitSeq(room, 3);
            assertThat(a.chatSeqs(room)).containsExactly(1L, 2L, 3L);
        }
    }

    // ---- leave_room ------------------------------------------------------------------------

    @Test
    void given_a_joined_room_when_leaving_then_the_ack_names_the_room_and_nothing_more_is_delivered() {
        String alice = user("alice");
        String bob = user("bob");
        String room = room("exit");
        try (TestClient a = connect(alice); TestClient b = connect(bob)) {
            a.join(room);
            b.join(room);
            b.chat(room, "while joined");
            a.awaitSeq(room, 1);

            String id = a.send("leave_room", "leave-1", Map.of("room", room));
            JsonNode ack = a.reply(id);
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            assertThat(ack.get("payload").get("room").asText()).isEqualTo(room);
            assertThat(ack.get("payload").size()).isEqualTo(1);

            b.chat(room, "after alice left");
            // Her rejoin's ack is queued after anything the chat could have sent her.
            assertThat(a.join(room).get("seq").asLong()).isEqualTo(2);
            assertThat(a.chatSeqs(room)).containsExactly(1L);
            assertThat(a.request("chat", Map.of("room", room, "text", "back")).get("type").asText())
                    .isEqualTo("ack");
        }
    }

    @Test
    void given_a_room_never_joined_when_leaving_it_then_it_is_acknowledged_all_the_same() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("never");
            JsonNode ack = a.request("leave_room", Map.of("room", room));
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            assertThat(ack.get("payload").get("room").asText()).isEqualTo(room);
        }
    }

    @Test
    void given_a_left_room_when_chatting_to_it_then_not_member() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("gone");
            a.join(room);
            a.leave(room);
            JsonNode error = a.request("chat", Map.of("room", room, "text", "hello?"));
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("payload").get("code").asText()).isEqualTo("not_member");
        }
    }

    // ---- chat ------------------------------------------------------------------------------

    @Test
    void given_members_when_one_chats_then_the_ack_has_room_seq_duplicate_and_every_member_gets_the_message() {
        String alice = user("alice");
        String bob = user("bob");
        String carol = user("carol");
        String room = room("chat");
        try (TestClient a = connect(alice); TestClient b = connect(bob); TestClient c = connect(carol);
             TestClient a2 = connect(alice)) {
            a.join(room);
            b.join(room);
            a2.join(room);
            c.welcome();
            long before = System.currentTimeMillis();

            String id = a.send("chat", "msg-1", Map.of("room", room, "text", "hello",
                    "data", Map.of("kind", "greeting", "n", 1)));
            JsonNode ack = a.reply(id);

            assertThat(ack.get("type").asText()).isEqualTo("ack");
            assertThat(ack.get("replyTo").asText()).isEqualTo("msg-1");
            assertThat(ack.get("payload").get("room").asText()).isEqualTo(room);
            assertThat(ack.get("payload").get("seq").asLong()).isEqualTo(1);
            assertThat(ack.get("payload").get("duplicate").asBoolean(true)).isFalse();
            for (TestClient member : List.of(a, b, a2)) {
                JsonNode frame = member.await(f -> TestClient.type(f).equals("chat"));
                assertThat(frame.has("replyTo")).isFalse();
                assertThat(frame.get("timestamp").isIntegralNumber()).isTrue();
                JsonNode message = frame.get("payload");
                assertThat(message.get("room").asText()).isEqualTo(room);
                assertThat(message.get("seq").asLong()).isEqualTo(1);
                assertThat(message.get("id").asText()).isEqualTo("msg-1");
                assertThat(message.get("from").get("id").asText()).isEqualTo(alice);
                assertThat(message.get("from").get("name").asText()).isEqualTo("A" + alice.substring(1));
                assertThat(message.get("text").asText()).isEqualTo("hello");
                assertThat(message.get("data")).isEqualTo(TestClient.JSON.valueToTree(Map.of("kind", "greeting", "n", 1)));
                assertThat(message.get("sentAt").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            }
            // carol is not a member: a later message of her own room reaches her, that one never did.
            String other = room("other");
            c.join(other);
            c.chat(other, "mine");
            c.awaitChat(other);
            assertThat(c.received("chat")).hasSize(1);
        }
    }

    @Test
    void given_a_chat_without_data_when_delivered_then_the_message_has_no_data_field() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("plain");
            a.join(room);
            a.chat(room, "no data");
            assertThat(a.awaitChat(room).has("data")).isFalse();
        }
    }

    @Test
    void given_many_chats_when_delivered_then_seqs_start_at_one_and_grow_by_one_in_order() {
        String room = room("order");
        try (TestClient a = connect(user("alice")); TestClient b = connect(user("bob"))) {
            a.join(room);
            b.join(room);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ids.add(a.send("chat", "m" + i, Map.of("room", room, "text", "message " + i)));
            }
            List<Long> acked = ids.stream().map(id -> a.reply(id).get("payload").get("seq").asLong())
                    .collect(Collectors.toList());
            b.awaitSeq(room, 30);

            assertThat(acked).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
            assertThat(b.chatSeqs(room)).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
            assertThat(b.received("chat").stream().map(f -> f.get("payload").get("text").asText()).toList())
                    .startsWith("message 0", "message 1").endsWith("message 29");
        }
    }

    @Test
    void given_text_with_control_characters_and_outer_space_when_chatting_then_it_is_cleaned() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("clean");
            a.join(room);
            a.chat(room, "\t  hello\u0000\r\n\u0007wide\u007f \u0085world \u009f\n ");
            assertThat(a.awaitChat(room).get("text").asText()).isEqualTo("hello\nwide world");
        }
    }

    @Test
    void given_a_from_field_in_the_payload_when_chatting_then_the_sender_is_the_token_user() {
        String alice = user("alice");
        String room = room("spoof");
        try (TestClient a = connect(alice); TestClient b = connect(user("bob"))) {
            a.join(room);
            b.join(room);
            a.send("{\"type\":\"chat\",\"id\":\"spoof-1\",\"from\":{\"id\":\"mallory\",\"name\":\"Mallory\"},"
                    + "\"payload\":{\"room\":\"" + room + "\",\"text\":\"it is me\","
                    + "\"from\":{\"id\":\"mallory\",\"name\":\"Mallory\"},\"user\":\"mallory\",\"sub\":\"mallory\"}}");
            assertThat(a.reply("spoof-1").get("type").asText()).isEqualTo("ack");

            JsonNode message = b.awaitChat(room);
            assertThat(message.get("from").get("id").asText()).isEqualTo(alice);
            assertThat(message.get("from").get("name").asText()).isEqualTo("A" + alice.substring(1));
            assertThat(message.toString()).doesNotContain("mallory", "Mallory");
        }
    }

    // ---- typing ----------------------------------------------------------------------------

    @Test
    void given_members_when_one_types_then_every_other_connection_gets_it_but_not_the_sender() {
        String alice = user("alice");
        String bob = user("bob");
        String room = room("typing");
        try (TestClient a = connect(alice); TestClient a2 = connect(alice); TestClient b = connect(bob)) {
            a.join(room);
            a2.join(room);
            b.join(room);

            a.send("typing", null, Map.of("room", room, "active", true));

            for (TestClient other : List.of(b, a2)) {
                JsonNode typing = other.await(f -> TestClient.type(f).equals("typing"));
                assertThat(typing.has("replyTo")).isFalse();
                assertThat(typing.get("payload").get("room").asText()).isEqualTo(room);
                assertThat(typing.get("payload").get("user").get("id").asText()).isEqualTo(alice);
                assertThat(typing.get("payload").get("user").get("name").asText()).isEqualTo("A" + alice.substring(1));
                assertThat(typing.get("payload").get("active").asBoolean()).isTrue();
            }
            a.send("typing", null, Map.of("room", room, "active", false));
            assertThat(b.await(f -> TestClient.type(f).equals("typing")).get("payload").get("active").asBoolean(true))
                    .isFalse();
            // A marker: alice's own chat arrives after anything her typing sent her.
            a.chat(room, "marker");
            a.awaitChat(room);
            assertThat(a.received("typing")).isEmpty();
            assertThat(a.received("ack")).hasSize(2);
            assertThat(a.received("error")).isEmpty();
        }
    }

    @Test
    void given_typing_with_an_id_when_accepted_then_there_is_no_reply() {
        String room = room("typing-id");
        try (TestClient a = connect(user("alice")); TestClient b = connect(user("bob"))) {
            a.join(room);
            b.join(room);
            a.send("typing", "t-1", Map.of("room", room, "active", true));
            b.await(f -> TestClient.type(f).equals("typing"));
            a.request("ping", Map.of());
            assertThat(a.received().stream().filter(f -> f.path("replyTo").asText().equals("t-1"))).isEmpty();
        }
    }

    @Test
    void given_a_room_not_joined_when_typing_then_not_member_with_reply_to() {
        try (TestClient a = connect(user("alice"))) {
            a.welcome();
            String room = room("not-joined");
            JsonNode error = a.reply(a.send("typing", "t-2", Map.of("room", room, "active", true)));
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("payload").get("code").asText()).isEqualTo("not_member");
            // Without an id the refusal still comes, without replyTo.
            a.send("typing", null, Map.of("room", room, "active", true));
            JsonNode bare = a.await(f -> TestClient.type(f).equals("error"));
            assertThat(bare.get("payload").get("code").asText()).isEqualTo("not_member");
            assertThat(bare.has("replyTo")).isFalse();
        }
    }

    // ---- presence events -------------------------------------------------------------------

    @Test
    void given_a_member_when_another_user_joins_and_leaves_then_it_gets_join_and_leave_events_with_counts() {
        String alice = user("alice");
        String bob = user("bob");
        String room = room("presence");
        try (TestClient a = connect(alice); TestClient b = connect(bob)) {
            a.join(room);
            JsonNode bobsAck = b.join(room);
            assertThat(ids(bobsAck.get("presence"))).containsExactlyInAnyOrder(alice, bob);

            JsonNode joined = a.await(f -> TestClient.type(f).equals("presence"));
            assertThat(joined.has("replyTo")).isFalse();
            assertThat(joined.get("payload").get("room").asText()).isEqualTo(room);
            assertThat(joined.get("payload").get("event").asText()).isEqualTo("join");
            assertThat(joined.get("payload").get("user").get("id").asText()).isEqualTo(bob);
            assertThat(joined.get("payload").get("user").get("name").asText()).isEqualTo("B" + bob.substring(1));
            assertThat(joined.get("payload").get("count").asInt()).isEqualTo(2);

            b.leave(room);
            JsonNode left = a.await(f -> TestClient.type(f).equals("presence"));
            assertThat(left.get("payload").get("event").asText()).isEqualTo("leave");
            assertThat(left.get("payload").get("user").get("id").asText()).isEqualTo(bob);
            assertThat(left.get("payload").get("count").asInt()).isEqualTo(1);

            // The joiner learns presence from its ack, never from an event about itself.
            b.join(room);
            a.await(f -> TestClient.type(f).equals("presence"));
            b.chat(room, "marker");
            b.awaitChat(room);
            assertThat(b.received("presence")).isEmpty();
        }
    }

    @Test
    void given_a_join_that_was_acknowledged_when_another_user_joins_right_after_then_it_hears_no_event_of_that_earlier_join() {
        String alice = user("alice");
        String bob = user("bob");
        try (TestClient a = connect(alice); TestClient b = connect(bob)) {
            a.welcome();
            b.welcome();
            for (int round = 0; round < 100; round++) {
                String room = room("causal");
                a.join(room);
                // Alice's join is over (acknowledged) before Bob asks: it is not news to him.
                JsonNode ack = b.join(room);
                assertThat(ids(ack.get("presence"))).containsExactlyInAnyOrder(alice, bob);
                b.chat(room, "marker");
                b.awaitChat(room);
                assertThat(b.received("presence")).as("round %d", round).isEmpty();
                a.await(f -> TestClient.type(f).equals("presence") && f.get("payload").get("room").asText().equals(room));
                a.awaitChat(room);
            }
        }
    }

    @Test
    void given_a_present_user_when_a_second_tab_joins_and_leaves_then_no_presence_event_is_sent() {
        String alice = user("alice");
        String bob = user("bob");
        String room = room("tabs");
        try (TestClient a = connect(alice); TestClient b1 = connect(bob); TestClient b2 = connect(bob)) {
            a.join(room);
            b1.join(room);
            a.await(f -> TestClient.type(f).equals("presence"));

            JsonNode secondAck = b2.join(room);
            assertThat(ids(secondAck.get("presence"))).containsExactlyInAnyOrder(alice, bob);
            b2.leave(room);
            b1.chat(room, "marker");
            a.awaitChat(room);
            assertThat(a.received("presence")).hasSize(1);
            assertThat(b1.received("presence")).isEmpty();

            b1.leave(room);
            JsonNode left = a.await(f -> TestClient.type(f).equals("presence")
                    && f.get("payload").get("event").asText().equals("leave"));
            assertThat(left.get("payload").get("user").get("id").asText()).isEqualTo(bob);
            assertThat(left.get("payload").get("count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void given_a_member_whose_connection_drops_when_it_was_its_last_then_the_others_get_leave() {
        String bob = user("bob");
        String room = room("drop");
        try (TestClient a = connect(user("alice"))) {
            a.join(room);
            TestClient b = connect(bob);
            b.join(room);
            a.await(f -> TestClient.type(f).equals("presence"));

            b.close();

            JsonNode left = a.await(f -> TestClient.type(f).equals("presence"));
            assertThat(left.get("payload").get("event").asText()).isEqualTo("leave");
            assertThat(left.get("payload").get("user").get("id").asText()).isEqualTo(bob);
            assertThat(left.get("payload").get("count").asInt()).isEqualTo(1);
            assertThat(ids(a.ack("presence", Map.of("room", room)).get("members"))).doesNotContain(bob);
        }
    }

    // ---- history ---------------------------------------------------------------------------

    private static String seeded(TestClient client, int count) {
        String room = room("history");
        client.join(room);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(client.send("chat", "h" + i, Map.of("room", room, "text", "message " + i)));
        }
        ids.forEach(id -> assertThat(client.reply(id).get("type").asText()).isEqualTo("ack"));
        return room;
    }

    private static List<Long> seqs(JsonNode historyAck) {
        List<Long> seqs = new ArrayList<>();
        historyAck.get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
        return seqs;
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void given_60_messages_when_asking_history_without_bounds_then_the_newest_50_ascending_and_more() {
        String alice = user("alice");
        try (TestClient a = connect(alice)) {
            String room = seeded(a, 60);
            JsonNode page = a.ack("history", Map.of("room", room));

            assertThat(page.get("room").asText()).isEqualTo(room);
            assertThat(seqs(page)).containsExactlyElementsOf(range(11, 60));
            assertThat(page.get("hasMore").asBoolean()).isTrue();
            JsonNode first = page.get("messages").get(0);
            assertThat(first.get("room").asText()).isEqualTo(room);
            assertThat(first.get("id").asText()).isEqualTo("h11");
            assertThat(first.get("from").get("id").asText()).isEqualTo(alice);
            assertThat(first.get("text").asText()).isEqualTo("message 11");
            assertThat(first.get("sentAt").isIntegralNumber()).isTrue();
        }
    }

    @Test
    void given_messages_when_paging_with_after_then_the_oldest_above_it_and_has_more_towards_newer() {
        try (TestClient a = connect(user("alice"))) {
            String room = seeded(a, 25);
            JsonNode first = a.ack("history", Map.of("room", room, "after", 0, "limit", 10));
            assertThat(seqs(first)).containsExactlyElementsOf(range(1, 10));
            assertThat(first.get("hasMore").asBoolean()).isTrue();

            JsonNode middle = a.ack("history", Map.of("room", room, "after", 10, "limit", 10));
            assertThat(seqs(middle)).containsExactlyElementsOf(range(11, 20));
            assertThat(middle.get("hasMore").asBoolean()).isTrue();

            JsonNode last = a.ack("history", Map.of("room", room, "after", 20, "limit", 10));
            assertThat(seqs(last)).containsExactlyElementsOf(range(21, 25));
            assertThat(last.get("hasMore").asBoolean()).isFalse();

            JsonNode exact = a.ack("history", Map.of("room", room, "after", 15, "limit", 10));
            assertThat(seqs(exact)).containsExactlyElementsOf(range(16, 25));
            assertThat(exact.get("hasMore").asBoolean()).isFalse();

            JsonNode beyond = a.ack("history", Map.of("room", room, "after", 25));
            assertThat(seqs(beyond)).isEmpty();
            assertThat(beyond.get("hasMore").asBoolean()).isFalse();
        }
    }

    @Test
    void given_messages_when_paging_with_before_then_the_newest_below_it_and_has_more_towards_older() {
        try (TestClient a = connect(user("alice"))) {
            String room = seeded(a, 25);
            JsonNode page = a.ack("history", Map.of("room", room, "before", 21, "limit", 10));
            assertThat(seqs(page)).containsExactlyElementsOf(range(11, 20));
            assertThat(page.get("hasMore").asBoolean()).isTrue();

            JsonNode oldest = a.ack("history", Map.of("room", room, "before", 6, "limit", 10));
            assertThat(seqs(oldest)).containsExactlyElementsOf(range(1, 5));
            assertThat(oldest.get("hasMore").asBoolean()).isFalse();

            JsonNode exact = a.ack("history", Map.of("room", room, "before", 11, "limit", 10));
            assertThat(seqs(exact)).containsExactlyElementsOf(range(1, 10));
            assertThat(exact.get("hasMore").asBoolean()).isFalse();

            JsonNode newest = a.ack("history", Map.of("room", room, "limit", 5));
            assertThat(seqs(newest)).containsExactlyElementsOf(range(21, 25));
            assertThat(newest.get("hasMore").asBoolean()).isTrue();

            JsonNode between = a.ack("history", Map.of("room", room, "after", 5, "before", 9));
            assertThat(seqs(between)).containsExactlyElementsOf(range(6, 8));
        }
    }

    @Test
    void given_the_limit_bounds_when_asking_history_then_1_and_100_are_accepted_and_0_101_or_non_integers_are_bad() {
        try (TestClient a = connect(user("alice"))) {
            String room = seeded(a, 3);
            assertThat(seqs(a.ack("history", Map.of("room", room, "limit", 1)))).containsExactly(3L);
            assertThat(seqs(a.ack("history", Map.of("room", room, "limit", 100)))).containsExactly(1L, 2L, 3L);

            for (Object bad : List.of(0, 101, -1, "5", 1.5, true)) {
                JsonNode error = a.requestRaw("history", Map.of("room", room, "limit", bad));
                assertThat(error.get("type").asText()).as("limit %s", bad).isEqualTo("error");
                assertThat(error.get("payload").get("code").asText()).as("limit %s", bad).isEqualTo("bad_request");
            }
            for (Object bad : List.of(-1, "3", 2.5)) {
                JsonNode error = a.requestRaw("history", Map.of("room", room, "after", bad));
                assertThat(error.get("payload").get("code").asText()).as("after %s", bad).isEqualTo("bad_request");
            }
        }
    }

    @Test
    void given_a_public_room_not_joined_when_asking_history_then_it_is_answered_and_empty_for_a_new_room() {
        try (TestClient a = connect(user("alice")); TestClient b = connect(user("bob"))) {
            String room = seeded(a, 2);
            assertThat(seqs(b.ack("history", Map.of("room", room)))).containsExactly(1L, 2L);

            JsonNode empty = b.ack("history", Map.of("room", room("empty")));
            assertThat(empty.get("messages").size()).isZero();
            assertThat(empty.get("hasMore").asBoolean()).isFalse();
        }
    }

    // ---- presence query --------------------------------------------------------------------

    @Test
    void given_members_when_asking_presence_then_each_present_user_is_listed_once() {
        String alice = user("alice");
        String bob = user("bob");
        String room = room("who");
        try (TestClient a = connect(alice); TestClient b1 = connect(bob); TestClient b2 = connect(bob);
             TestClient outsider = connect(user("carol"))) {
            a.join(room);
            b1.join(room);
            b2.join(room);

            String id = outsider.send("presence", "who-1", Map.of("room", room));
            JsonNode ack = outsider.reply(id);
            assertThat(ack.get("type").asText()).isEqualTo("ack");
            assertThat(ack.get("payload").get("room").asText()).isEqualTo(room);
            assertThat(ids(ack.get("payload").get("members"))).containsExactlyInAnyOrder(alice, bob);
            ack.get("payload").get("members").forEach(m -> assertThat(m.get("name").asText()).isNotBlank());

            assertThat(outsider.ack("presence", Map.of("room", room("nobody"))).get("members").size()).isZero();
        }
    }

    // ---- ping ------------------------------------------------------------------------------

    @Test
    void given_a_ping_when_sent_then_pong_with_reply_to_and_an_empty_payload() {
        try (TestClient a = connect(user("alice"))) {
            a.welcome();
            a.send("{\"type\":\"ping\",\"id\":\"p-1\"}");
            JsonNode pong = a.reply("p-1");
            assertThat(pong.get("type").asText()).isEqualTo("pong");
            assertThat(pong.get("payload").isObject()).isTrue();
            assertThat(pong.get("payload").size()).isZero();
            assertThat(pong.get("timestamp").isIntegralNumber()).isTrue();

            a.send("{\"type\":\"ping\",\"id\":\"p-2\",\"payload\":{\"anything\":[1,2,{\"x\":null}]}}");
            assertThat(a.reply("p-2").get("type").asText()).isEqualTo("pong");
        }
    }
}
