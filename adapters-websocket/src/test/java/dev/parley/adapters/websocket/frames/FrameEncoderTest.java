package dev.parley.adapters.websocket.frames;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.NodeId;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** {@link FrameEncoder#encode}: the server frames of docs/protocol.md sections 2, 3, 4 and 6. */
class FrameEncoderTest {
    private static final long NOW = 1_732_500_000_000L;
    private static final RequestId R1 = RequestId.of("r1");
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final User ALICE = new User(UserId.of("alice"), "Alice");
    private static final User BOB = new User(UserId.of("bob"), "Bob B.");

    private final ObjectMapper json = new ObjectMapper();
    private final FrameEncoder codec = new FrameEncoder(new Json(Limits.DEFAULTS),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    private JsonNode encode(ServerMessage message) throws Exception {
        String text = codec.encode(message);
        JsonNode frame = json.readTree(text);
        assertThat(frame.isObject()).as("frame %s is one JSON object", text).isTrue();
        return frame;
    }

    /** Expected JSON written with single quotes for readability. */
    private JsonNode expected(String singleQuoted) throws Exception {
        return json.readTree(singleQuoted.replace('\'', '"'));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ChatMessage message(long seq, String text, Optional<MessageData> data) {
        return new ChatMessage(LOBBY, seq, RequestId.of("m" + seq), ALICE, new MessageText(text), data,
                1_732_499_999_000L + seq);
    }

    @Test
    void given_any_message_when_encoding_then_timestamp_is_the_injected_clocks_millis() throws Exception {
        JsonNode frame = encode(new ServerMessage.Pong(R1));

        assertThat(frame.get("timestamp").isIntegralNumber()).isTrue();
        assertThat(frame.get("timestamp").longValue()).isEqualTo(NOW);
    }

    @Test
    void given_join_ack_when_encoding_then_ack_with_reply_to_and_join_fields() throws Exception {
        JsonNode frame = encode(new ServerMessage.Ack(R1, new ServerMessage.JoinAck(LOBBY, Epoch.of("k3x9"), 42,
                true, 3, List.of(ALICE, BOB))));

        assertThat(fieldNames(frame)).containsExactlyInAnyOrder("type", "replyTo", "payload", "timestamp");
        assertThat(frame).isEqualTo(expected("{'type':'ack','replyTo':'r1','payload':{'room':'lobby',"
                + "'epoch':'k3x9','seq':42,'recovered':true,'replay':3,"
                + "'presence':[{'id':'alice','name':'Alice'},{'id':'bob','name':'Bob B.'}]},"
                + "'timestamp':" + NOW + "}"));
    }

    @Test
    void given_join_ack_of_a_new_room_without_recovery_when_encoding_then_seq_zero_not_recovered_and_empty_presence()
            throws Exception {
        JsonNode frame = encode(new ServerMessage.Ack(R1, new ServerMessage.JoinAck(LOBBY, Epoch.of("e1"), 0,
                false, 0, List.of())));

        assertThat(frame.get("payload")).isEqualTo(expected("{'room':'lobby','epoch':'e1','seq':0,"
                + "'recovered':false,'replay':0,'presence':[]}"));
    }

    @Test
    void given_leave_ack_when_encoding_then_ack_with_room() throws Exception {
        JsonNode frame = encode(new ServerMessage.Ack(R1, new ServerMessage.LeaveAck(LOBBY)));

        assertThat(frame).isEqualTo(expected("{'type':'ack','replyTo':'r1','payload':{'room':'lobby'},"
                + "'timestamp':" + NOW + "}"));
    }

    @Test
    void given_chat_ack_when_encoding_then_ack_with_room_seq_and_duplicate() throws Exception {
        JsonNode fresh = encode(new ServerMessage.Ack(R1, new ServerMessage.ChatAck(LOBBY, 7, false)));
        JsonNode repeat = encode(new ServerMessage.Ack(R1, new ServerMessage.ChatAck(LOBBY, 7, true)));

        assertThat(fresh).isEqualTo(expected("{'type':'ack','replyTo':'r1','payload':{'room':'lobby','seq':7,"
                + "'duplicate':false},'timestamp':" + NOW + "}"));
        assertThat(repeat.get("payload").get("duplicate").asBoolean()).isTrue();
    }

    @Test
    void given_seq_of_2_pow_53_when_encoding_then_written_as_the_exact_integer() throws Exception {
        long top = 1L << 53;

        JsonNode frame = encode(new ServerMessage.Ack(R1, new ServerMessage.ChatAck(LOBBY, top, false)));

        assertThat(frame.get("payload").get("seq").isIntegralNumber()).isTrue();
        assertThat(frame.get("payload").get("seq").longValue()).isEqualTo(top);
    }

    @Test
    void given_history_ack_when_encoding_then_ack_with_messages_ascending_and_has_more() throws Exception {
        HistoryPage page = new HistoryPage(LOBBY, List.of(
                message(4, "first", Optional.empty()),
                message(5, "second", Optional.of(new MessageData("{\"kind\":\"reply\",\"to\":4}")))), true);

        JsonNode frame = encode(new ServerMessage.Ack(R1, new ServerMessage.HistoryAck(page)));

        assertThat(frame).isEqualTo(expected("{'type':'ack','replyTo':'r1','payload':{'room':'lobby','messages':["
                + "{'room':'lobby','seq':4,'id':'m4','from':{'id':'alice','name':'Alice'},'text':'first',"
                + "'sentAt':1732499999004},"
                + "{'room':'lobby','seq':5,'id':'m5','from':{'id':'alice','name':'Alice'},'text':'second',"
                + "'data':{'kind':'reply','to':4},'sentAt':1732499999005}],"
                + "'hasMore':true},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_empty_history_page_when_encoding_then_empty_messages_and_no_more() throws Exception {
        JsonNode frame = encode(new ServerMessage.Ack(R1,
                new ServerMessage.HistoryAck(new HistoryPage(LOBBY, List.of(), false))));

        assertThat(frame.get("payload")).isEqualTo(expected("{'room':'lobby','messages':[],'hasMore':false}"));
    }

    @Test
    void given_presence_ack_when_encoding_then_ack_with_room_and_members() throws Exception {
        JsonNode frame = encode(new ServerMessage.Ack(R1, new ServerMessage.PresenceAck(LOBBY, List.of(BOB))));

        assertThat(frame).isEqualTo(expected("{'type':'ack','replyTo':'r1','payload':{'room':'lobby',"
                + "'members':[{'id':'bob','name':'Bob B.'}]},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_chat_event_without_data_when_encoding_then_message_fields_and_no_reply_to() throws Exception {
        JsonNode frame = encode(new ServerMessage.Chat(message(42, "hello", Optional.empty())));

        assertThat(fieldNames(frame)).containsExactlyInAnyOrder("type", "payload", "timestamp");
        assertThat(fieldNames(frame.get("payload")))
                .containsExactlyInAnyOrder("room", "seq", "id", "from", "text", "sentAt");
        assertThat(frame).isEqualTo(expected("{'type':'chat','payload':{'room':'lobby','seq':42,'id':'m42',"
                + "'from':{'id':'alice','name':'Alice'},'text':'hello','sentAt':1732499999042},"
                + "'timestamp':" + NOW + "}"));
    }

    @Test
    void given_chat_event_with_data_when_encoding_then_data_is_the_same_json_object() throws Exception {
        String data = "{\"kind\":\"reply\",\"to\":41,\"nested\":{\"a\":[1,2.5,null,true,\"x\"],\"e\":{}},"
                + "\"s\":\"quote \\\" and \\u00e9\"}";

        JsonNode frame = encode(new ServerMessage.Chat(message(42, "hello", Optional.of(new MessageData(data)))));

        JsonNode sent = frame.get("payload").get("data");
        assertThat(sent.isObject()).isTrue();
        assertThat(sent).isEqualTo(json.readTree(data));
        assertThat(fieldNames(frame.get("payload")))
                .containsExactlyInAnyOrder("room", "seq", "id", "from", "text", "data", "sentAt");
    }

    @Test
    void given_text_with_quotes_newlines_controls_and_astral_characters_when_encoding_then_decodes_to_the_same_text()
            throws Exception {
        String text = "she said \"hi\"\n\tthen \\ left </script> \u2028 \uD83D\uDE00 \u00e9";

        JsonNode frame = encode(new ServerMessage.Chat(message(1, text, Optional.empty())));

        assertThat(frame.get("payload").get("text").textValue()).isEqualTo(text);
    }

    @Test
    void given_display_name_needing_escapes_when_encoding_then_user_name_round_trips() throws Exception {
        User odd = new User(UserId.of("o'neil"), "O\"Neil \\ \uD83D\uDE00");

        JsonNode frame = encode(new ServerMessage.Typing(LOBBY, odd, true));

        assertThat(frame.get("payload").get("user")).isEqualTo(json.createObjectNode()
                .put("id", "o'neil").put("name", "O\"Neil \\ \uD83D\uDE00"));
    }

    @Test
    void given_typing_event_when_encoding_then_room_user_active_and_no_reply_to() throws Exception {
        JsonNode started = encode(new ServerMessage.Typing(LOBBY, ALICE, true));
        JsonNode stopped = encode(new ServerMessage.Typing(LOBBY, ALICE, false));

        assertThat(started).isEqualTo(expected("{'type':'typing','payload':{'room':'lobby',"
                + "'user':{'id':'alice','name':'Alice'},'active':true},'timestamp':" + NOW + "}"));
        assertThat(stopped.get("payload").get("active").isBoolean()).isTrue();
        assertThat(stopped.get("payload").get("active").booleanValue()).isFalse();
    }

    @Test
    void given_presence_join_when_encoding_then_event_join_with_user_and_count() throws Exception {
        JsonNode frame = encode(new ServerMessage.Presence(LOBBY, true, BOB, 2));

        assertThat(frame).isEqualTo(expected("{'type':'presence','payload':{'room':'lobby','event':'join',"
                + "'user':{'id':'bob','name':'Bob B.'},'count':2},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_presence_leave_when_encoding_then_event_leave_with_user_and_count() throws Exception {
        JsonNode frame = encode(new ServerMessage.Presence(LOBBY, false, BOB, 0));

        assertThat(frame).isEqualTo(expected("{'type':'presence','payload':{'room':'lobby','event':'leave',"
                + "'user':{'id':'bob','name':'Bob B.'},'count':0},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_error_replying_to_a_request_when_encoding_then_reply_to_code_message_and_no_retry_after() throws Exception {
        JsonNode frame = encode(ServerMessage.Error.of(R1, ErrorCode.NOT_MEMBER, "join the room first"));

        assertThat(frame).isEqualTo(expected("{'type':'error','replyTo':'r1','payload':{'code':'not_member',"
                + "'message':'join the room first'},'timestamp':" + NOW + "}"));
        assertThat(frame.get("payload").has("retryAfterMs")).isFalse();
    }

    @Test
    void given_error_without_request_id_when_encoding_then_no_reply_to_field() throws Exception {
        JsonNode frame = encode(new ServerMessage.Error(Optional.empty(), ErrorCode.BAD_REQUEST,
                "frame is not valid JSON", OptionalLong.empty()));

        assertThat(fieldNames(frame)).containsExactlyInAnyOrder("type", "payload", "timestamp");
        assertThat(frame.get("payload")).isEqualTo(expected("{'code':'bad_request',"
                + "'message':'frame is not valid JSON'}"));
    }

    @Test
    void given_rate_limited_error_with_retry_after_when_encoding_then_retry_after_ms_is_an_integer() throws Exception {
        JsonNode frame = encode(new ServerMessage.Error(Optional.of(R1), ErrorCode.RATE_LIMITED, "slow down",
                OptionalLong.of(250)));

        assertThat(frame).isEqualTo(expected("{'type':'error','replyTo':'r1','payload':{'code':'rate_limited',"
                + "'message':'slow down','retryAfterMs':250},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_every_error_code_when_encoding_then_code_is_its_wire_name() throws Exception {
        for (ErrorCode code : ErrorCode.values()) {
            JsonNode frame = encode(ServerMessage.Error.of(R1, code, "m"));

            assertThat(frame.get("payload").get("code").textValue()).isEqualTo(code.wireName());
        }
    }

    @Test
    void given_pong_when_encoding_then_reply_to_and_empty_payload() throws Exception {
        JsonNode frame = encode(new ServerMessage.Pong(R1));

        assertThat(frame).isEqualTo(expected("{'type':'pong','replyTo':'r1','payload':{},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_welcome_when_encoding_then_connection_user_node_protocol_one_heartbeat_and_limits() throws Exception {
        Limits limits = new Limits(4000, 8192, 16, 100, 10, 10_000, 50, 100);

        JsonNode frame = encode(new ServerMessage.Welcome(ConnectionId.of("c0ffee"), ALICE, NodeId.of("node-1"),
                25_000, 20_000, limits, 65_536));

        assertThat(fieldNames(frame)).containsExactlyInAnyOrder("type", "payload", "timestamp");
        assertThat(frame).isEqualTo(expected("{'type':'welcome','payload':{'connectionId':'c0ffee',"
                + "'user':{'id':'alice','name':'Alice'},'node':'node-1','protocol':1,"
                + "'heartbeat':{'intervalMs':25000,'timeoutMs':20000},"
                + "'limits':{'maxTextLength':4000,'maxDataBytes':8192,'maxDataDepth':16,'maxFrameBytes':65536,"
                + "'maxRoomsPerConnection':100,'maxConnectionsPerUser':10,'maxMembersPerRoom':10000,"
                + "'maxHistoryLimit':100}},'timestamp':" + NOW + "}"));
    }

    @Test
    void given_welcome_with_other_limits_when_encoding_then_the_limits_in_force_are_listed() throws Exception {
        Limits limits = new Limits(1, 2, 3, 5, 6, 7, 8, 9);

        JsonNode frame = encode(new ServerMessage.Welcome(ConnectionId.of("c1"), ALICE, NodeId.of("n"),
                1, 2, limits, 4));

        assertThat(frame.get("payload").get("heartbeat")).isEqualTo(expected("{'intervalMs':1,'timeoutMs':2}"));
        assertThat(frame.get("payload").get("limits")).isEqualTo(expected("{'maxTextLength':1,'maxDataBytes':2,"
                + "'maxDataDepth':3,'maxFrameBytes':4,'maxRoomsPerConnection':5,'maxConnectionsPerUser':6,"
                + "'maxMembersPerRoom':7,'maxHistoryLimit':9}"));
    }

    @Test
    void given_each_message_kind_when_asking_its_type_then_the_wire_type_name() {
        assertThat(FrameEncoder.typeOf(new ServerMessage.Pong(R1))).isEqualTo("pong");
        assertThat(FrameEncoder.typeOf(ServerMessage.Error.of(R1, ErrorCode.INTERNAL, "x"))).isEqualTo("error");
        assertThat(FrameEncoder.typeOf(new ServerMessage.Ack(R1, new ServerMessage.LeaveAck(LOBBY))))
                .isEqualTo("ack");
        assertThat(FrameEncoder.typeOf(new ServerMessage.Chat(message(1, "x", Optional.empty()))))
                .isEqualTo("chat");
        assertThat(FrameEncoder.typeOf(new ServerMessage.Typing(LOBBY, ALICE, true))).isEqualTo("typing");
        assertThat(FrameEncoder.typeOf(new ServerMessage.Presence(LOBBY, true, ALICE, 1))).isEqualTo("presence");
        assertThat(FrameEncoder.typeOf(new ServerMessage.Welcome(ConnectionId.of("c"), ALICE, NodeId.of("n"), 1, 1,
                Limits.DEFAULTS, 1))).isEqualTo("welcome");
    }

    @Test
    void given_a_clock_that_moves_when_encoding_twice_then_each_frame_carries_the_clock_at_encoding() throws Exception {
        MutableClock clock = new MutableClock(1_000);
        FrameEncoder moving = new FrameEncoder(new Json(Limits.DEFAULTS), clock);

        String first = moving.encode(new ServerMessage.Pong(R1));
        clock.millis = 2_500;
        String second = moving.encode(new ServerMessage.Pong(R1));

        assertThat(json.readTree(first).get("timestamp").longValue()).isEqualTo(1_000);
        assertThat(json.readTree(second).get("timestamp").longValue()).isEqualTo(2_500);
    }

    private static final class MutableClock extends Clock {
        private volatile long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public long millis() {
            return millis;
        }
    }
}
