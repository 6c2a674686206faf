package dev.parley.adapters.websocket.frames;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link FrameDecoder#decode}: docs/protocol.md sections 2, 3, 6 and 7, from the client's side. */
class FrameDecoderTest {
    private static final ConnectionId CONNECTION = ConnectionId.of("conn-1");
    private static final RequestId R1 = RequestId.of("r1");
    private static final RoomName LOBBY = RoomName.of("lobby");
    private static final long TWO_TO_53 = 1L << 53;

    private final FrameDecoder codec = new FrameDecoder(new Json(Limits.DEFAULTS), Limits.DEFAULTS);

    /** Frames are written with single quotes for readability; they become double quotes here. */
    private static String frame(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private Inbound decode(String singleQuoted) {
        return codec.decode(frame(singleQuoted), CONNECTION);
    }

    private static Inbound.Invalid invalid(Inbound inbound) {
        assertThat(inbound).isInstanceOf(Inbound.Invalid.class);
        return (Inbound.Invalid) inbound;
    }

    private static void assertRefused(Inbound inbound, ErrorCode code, Optional<RequestId> replyTo) {
        Inbound.Invalid refusal = invalid(inbound);
        assertThat(refusal.code()).as("error code of %s", refusal).isEqualTo(code);
        assertThat(refusal.requestId()).as("requestId of %s", refusal).isEqualTo(replyTo);
        assertThat(refusal.message()).isNotBlank();
    }

    private static String chatWithText(String text) {
        return "{\"type\":\"chat\",\"id\":\"r1\",\"payload\":{\"room\":\"lobby\",\"text\":\"" + text + "\"}}";
    }

    private static String chatWithData(String dataJson) {
        return "{\"type\":\"chat\",\"id\":\"r1\",\"payload\":{\"room\":\"lobby\",\"text\":\"hi\",\"data\":" + dataJson
                + "}}";
    }

    /** A data object nested {@code depth} deep (the outer object is depth 1). */
    private static String nestedData(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    @Nested
    class EveryClientType {

        @Test
        void given_join_room_without_since_when_decoding_then_join_command_without_position() {
            Inbound inbound = decode("{'type':'join_room','id':'r1','payload':{'room':'lobby'}}");

            assertThat(inbound).isEqualTo(new Inbound.Join(R1,
                    new JoinRoomCommand(CONNECTION, LOBBY, Optional.empty())));
            assertThat(inbound.type()).isEqualTo("join_room");
            assertThat(inbound.requestId()).contains(R1);
        }

        @Test
        void given_join_room_with_since_when_decoding_then_join_command_with_that_position() {
            Inbound inbound = decode("{'type':'join_room','id':'r1','payload':{'room':'lobby',"
                    + "'since':{'seq':42,'epoch':'k3x9'}}}");

            assertThat(inbound).isEqualTo(new Inbound.Join(R1, new JoinRoomCommand(CONNECTION, LOBBY,
                    Optional.of(new StreamPosition(42, Epoch.of("k3x9"))))));
        }

        @Test
        void given_since_at_the_bounds_of_seq_and_epoch_when_decoding_then_accepted() {
            String epoch64 = "e".repeat(64);

            Inbound zero = decode("{'type':'join_room','id':'r1','payload':{'room':'lobby',"
                    + "'since':{'seq':0,'epoch':'k'}}}");
            Inbound top = decode("{'type':'join_room','id':'r1','payload':{'room':'lobby',"
                    + "'since':{'seq':" + TWO_TO_53 + ",'epoch':'" + epoch64 + "'}}}");

            assertThat(((Inbound.Join) zero).command().since()).contains(new StreamPosition(0, Epoch.of("k")));
            assertThat(((Inbound.Join) top).command().since())
                    .contains(new StreamPosition(TWO_TO_53, Epoch.of(epoch64)));
        }

        @Test
        void given_leave_room_when_decoding_then_leave_command() {
            Inbound inbound = decode("{'type':'leave_room','id':'r1','payload':{'room':'private:team-a'}}");

            assertThat(inbound).isEqualTo(new Inbound.Leave(R1,
                    new LeaveRoomCommand(CONNECTION, RoomName.of("private:team-a"))));
            assertThat(inbound.type()).isEqualTo("leave_room");
        }

        @Test
        void given_chat_when_decoding_then_chat_command_with_sanitised_text() {
            Inbound inbound = codec.decode(chatWithText("  hello\\r\\n world \\u0007 "), CONNECTION);

            assertThat(inbound).isEqualTo(new Inbound.Chat(new SendChatCommand(CONNECTION, R1, LOBBY,
                    new MessageText("hello\n world"), Optional.empty())));
            assertThat(inbound.type()).isEqualTo("chat");
        }

        @Test
        void given_chat_with_data_when_decoding_then_data_kept_as_compact_json_object() {
            Inbound inbound = codec.decode(chatWithData("{ \"kind\" : \"reply\", \"to\" : [ 41, 2.5, null ],"
                    + " \"meta\" : { \"ok\" : true } }"), CONNECTION);

            assertThat(inbound).isEqualTo(new Inbound.Chat(new SendChatCommand(CONNECTION, R1, LOBBY,
                    new MessageText("hi"),
                    Optional.of(new MessageData("{\"kind\":\"reply\",\"to\":[41,2.5,null],\"meta\":{\"ok\":true}}")))));
        }

        @Test
        void given_chat_with_null_data_when_decoding_then_no_data() {
            Inbound inbound = codec.decode(chatWithData("null"), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().data()).isEmpty();
        }

        @Test
        void given_typing_without_id_when_decoding_then_typing_command_without_request_id() {
            Inbound inbound = decode("{'type':'typing','payload':{'room':'lobby','active':true}}");

            assertThat(inbound).isEqualTo(new Inbound.Typing(Optional.empty(),
                    new SendTypingCommand(CONNECTION, LOBBY, true)));
            assertThat(inbound.type()).isEqualTo("typing");
            assertThat(inbound.requestId()).isEmpty();
        }

        @Test
        void given_typing_with_id_when_decoding_then_typing_command_carries_the_id() {
            Inbound inbound = decode("{'type':'typing','id':'r1','payload':{'room':'lobby','active':false}}");

            assertThat(inbound).isEqualTo(new Inbound.Typing(Optional.of(R1),
                    new SendTypingCommand(CONNECTION, LOBBY, false)));
            assertThat(inbound.requestId()).contains(R1);
        }

        @Test
        void given_history_without_bounds_when_decoding_then_history_command_with_default_limit() {
            Inbound inbound = decode("{'type':'history','id':'r1','payload':{'room':'lobby'}}");

            assertThat(inbound).isEqualTo(new Inbound.History(R1, new QueryHistoryCommand(Requester.connection(CONNECTION),
                    new HistoryQuery(LOBBY, OptionalLong.empty(), OptionalLong.empty(), 50))));
            assertThat(inbound.type()).isEqualTo("history");
        }

        @Test
        void given_history_with_after_before_and_limit_when_decoding_then_history_command_with_them() {
            Inbound inbound = decode("{'type':'history','id':'r1','payload':{'room':'lobby',"
                    + "'after':10,'before':" + TWO_TO_53 + ",'limit':100}}");

            assertThat(inbound).isEqualTo(new Inbound.History(R1, new QueryHistoryCommand(Requester.connection(CONNECTION),
                    new HistoryQuery(LOBBY, OptionalLong.of(10), OptionalLong.of(TWO_TO_53), 100))));
        }

        @Test
        void given_history_with_limit_one_when_decoding_then_accepted() {
            Inbound inbound = decode("{'type':'history','id':'r1','payload':{'room':'lobby','limit':1}}");

            assertThat(((Inbound.History) inbound).command().query().limit()).isEqualTo(1);
        }

        @Test
        void given_presence_when_decoding_then_presence_command() {
            Inbound inbound = decode("{'type':'presence','id':'r1','payload':{'room':'user:alice'}}");

            assertThat(inbound).isEqualTo(new Inbound.Presence(R1,
                    new QueryPresenceCommand(Requester.connection(CONNECTION), RoomName.of("user:alice"))));
            assertThat(inbound.type()).isEqualTo("presence");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
            "{'type':'ping','id':'r1'}",
            "{'type':'ping','id':'r1','payload':null}",
            "{'type':'ping','id':'r1','payload':{}}",
            "{'type':'ping','id':'r1','payload':{'anything':[1,{'x':2}],'at':'all'}}"})
        void givenPingWithAbsentEmptyOrArbitraryPayload_whenDecoding_thenPing(String frame) {
            Inbound inbound = decode(frame);

            assertThat(inbound).isEqualTo(new Inbound.Ping(R1));
            assertThat(inbound.type()).isEqualTo("ping");
            assertThat(inbound.requestId()).contains(R1);
        }

        @Test
        void given_unknown_payload_and_frame_fields_when_decoding_then_ignored() {
            Inbound inbound = decode("{'type':'chat','id':'r1','extra':1,'payload':{'room':'lobby','text':'hi',"
                    + "'colour':'red','since':{'bogus':true},'nested':{'a':[1,2]}}}");

            assertThat(inbound).isEqualTo(new Inbound.Chat(new SendChatCommand(CONNECTION, R1, LOBBY,
                    new MessageText("hi"), Optional.empty())));
        }

        @Test
        void given_id_of_64_word_characters_when_decoding_then_accepted() {
            String id = "aZ09_-".repeat(10) + "abcd";

            Inbound inbound = decode("{'type':'ping','id':'" + id + "'}");

            assertThat(inbound).isEqualTo(new Inbound.Ping(RequestId.of(id)));
        }

        @Test
        void given_room_of_128_characters_when_decoding_then_accepted() {
            String room = "a.b:c-d_".repeat(16);

            Inbound inbound = decode("{'type':'presence','id':'r1','payload':{'room':'" + room + "'}}");

            assertThat(((Inbound.Presence) inbound).command().room()).isEqualTo(RoomName.of(room));
        }
    }

    @Nested
    class Envelope {

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"not json", "{", "{'type':'ping','id':'r1'", "", "   ", "{'type':'ping',}",
            "{'type':'ping','id':'r1'} {'type':'ping'}", "{type:'ping'}", "{'type':'ping','n':NaN}",
            "{'type':'ping','n':01}"})
        void givenTextThatIsNotOneJsonValue_whenDecoding_thenBadRequestWithoutReplyTo(String text) {
            Inbound inbound = decode(text);

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.empty());
            assertThat(inbound.type()).isEqualTo("invalid");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"[]", "[{'type':'ping','id':'r1'}]", "42", "'ping'", "null", "true"})
        void given_json_that_is_not_an_object_when_decoding_then_bad_request_without_reply_to(String text) {
            assertRefused(decode(text), ErrorCode.BAD_REQUEST, Optional.empty());
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"{'id':'r1'}", "{'id':'r1','type':null}", "{'id':'r1','type':7}",
            "{'id':'r1','type':['ping']}", "{'id':'r1','type':{'name':'ping'}}", "{'id':'r1','type':true}"})
        void givenMissingOrIllTypedType_whenDecoding_thenBadRequestReplyingToTheId(String text) {
            Inbound inbound = decode(text);

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.of(R1));
            assertThat(inbound.type()).isEqualTo("invalid");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"shout", "PING", "Chat", "join", " ping", ""})
        void given_unknown_type_when_decoding_then_unknown_type_replying_to_the_id(String type) {
            Inbound inbound = decode("{'type':'" + type + "','id':'r1','payload':{'room':'lobby'}}");

            assertRefused(inbound, ErrorCode.UNKNOWN_TYPE, Optional.of(R1));
            assertThat(inbound.type()).isEqualTo("invalid");
        }

        @Test
        void given_unknown_type_without_id_when_decoding_then_unknown_type_without_reply_to() {
            assertRefused(decode("{'type':'shout'}"), ErrorCode.UNKNOWN_TYPE, Optional.empty());
        }

        @Test
        void given_unknown_type_with_invalid_id_when_decoding_then_unknown_type_without_reply_to() {
            assertRefused(decode("{'type':'shout','id':'not valid!'}"), ErrorCode.UNKNOWN_TYPE, Optional.empty());
        }

        @Test
        void given_very_long_unknown_type_when_decoding_then_message_abbreviates_it() {
            Inbound.Invalid refusal = invalid(decode("{'type':'" + "x".repeat(10_000) + "','id':'r1'}"));

            assertThat(refusal.code()).isEqualTo(ErrorCode.UNKNOWN_TYPE);
            assertThat(refusal.message()).hasSizeLessThan(100);
        }

        static Stream<Arguments> framesNeedingAnId() {
            return Stream.of(
                    Arguments.of("join_room", "{'type':'join_room','payload':{'room':'lobby'}}"),
                    Arguments.of("leave_room", "{'type':'leave_room','payload':{'room':'lobby'}}"),
                    Arguments.of("chat", "{'type':'chat','payload':{'room':'lobby','text':'hi'}}"),
                    Arguments.of("history", "{'type':'history','payload':{'room':'lobby'}}"),
                    Arguments.of("presence", "{'type':'presence','payload':{'room':'lobby'}}"),
                    Arguments.of("ping", "{'type':'ping','payload':{}}"),
                    Arguments.of("chat with id null", "{'type':'chat','id':null,'payload':{'room':'lobby','text':'hi'}}"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("framesNeedingAnId")
        void given_type_that_gets_a_reply_without_id_when_decoding_then_bad_request_without_reply_to(String name, String text) {
            Inbound inbound = decode(text);

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.empty());
            assertThat(invalid(inbound).message()).contains("id");
        }

        static Stream<Arguments> badIds() {
            return Stream.of(
                    Arguments.of("space", "'a b'"),
                    Arguments.of("slash", "'a/b'"),
                    Arguments.of("dot", "'a.b'"),
                    Arguments.of("colon", "'a:b'"),
                    Arguments.of("non-ASCII letter", "'\u00e9t\u00e9'"),
                    Arguments.of("empty", "''"),
                    Arguments.of("65 characters", "'" + "a".repeat(65) + "'"),
                    Arguments.of("number", "42"),
                    Arguments.of("boolean", "true"),
                    Arguments.of("array", "['r1']"),
                    Arguments.of("object", "{'value':'r1'}"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badIds")
        void given_bad_id_when_decoding_ping_then_bad_request_without_reply_to(String name, String id) {
            Inbound inbound = decode("{'type':'ping','id':" + id + "}");

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.empty());
            assertThat(inbound.type()).isEqualTo("ping");
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badIds")
        void given_bad_id_when_decoding_typing_then_bad_request_even_though_typing_needs_no_id(String name, String id) {
            Inbound inbound = decode("{'type':'typing','id':" + id + ",'payload':{'room':'lobby','active':true}}");

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.empty());
        }

        @ParameterizedTest(name = "[{index}] payload {0}")
        @ValueSource(strings = {"[]", "[{'room':'lobby'}]", "'lobby'", "1", "true", "false"})
        void given_payload_that_is_not_an_object_when_decoding_then_bad_request_replying_to_the_id(String payload) {
            Inbound inbound = decode("{'type':'join_room','id':'r1','payload':" + payload + "}");

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.of(R1));
            assertThat(inbound.type()).isEqualTo("join_room");
        }

        @ParameterizedTest(name = "[{index}] payload {0}")
        @ValueSource(strings = {"'hello'", "[1,2]", "42", "true"})
        void given_ping_with_payload_that_is_not_an_object_when_decoding_then_ping_as_section_three_allows_anything(String payload) {
            assertThat(decode("{'type':'ping','id':'r1','payload':" + payload + "}")).isEqualTo(new Inbound.Ping(R1));
        }

        @Test
        void given_chat_without_payload_when_decoding_then_bad_request_replying_to_the_id() {
            assertRefused(decode("{'type':'chat','id':'r1'}"), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }
    }

    @Nested
    class Rooms {

        static Stream<Arguments> badRooms() {
            return Stream.of(
                    Arguments.of("missing", ""),
                    Arguments.of("null", ",'room':null"),
                    Arguments.of("number", ",'room':7"),
                    Arguments.of("array", ",'room':['lobby']"),
                    Arguments.of("object", ",'room':{'name':'lobby'}"),
                    Arguments.of("empty", ",'room':''"),
                    Arguments.of("space", ",'room':'the lobby'"),
                    Arguments.of("slash", ",'room':'lobby/x'"),
                    Arguments.of("non-ASCII", ",'room':'caf\u00e9'"),
                    Arguments.of("129 characters", ",'room':'" + "r".repeat(129) + "'"),
                    Arguments.of("bare private prefix", ",'room':'private:'"),
                    Arguments.of("bare user prefix", ",'room':'user:'"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badRooms")
        void given_bad_room_when_decoding_each_type_with_a_room_then_bad_request_replying_to_the_id(String name, String room) {
            for (String type : new String[] {"join_room", "leave_room", "chat", "typing", "history", "presence"}) {
                Inbound inbound = decode("{'type':'" + type + "','id':'r1','payload':{'text':'hi','active':true"
                        + room + "}}");

                assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.of(R1));
                assertThat(inbound.type()).isEqualTo(type);
            }
        }
    }

    @Nested
    class JoinPosition {

        private Inbound join(String since) {
            return decode("{'type':'join_room','id':'r1','payload':{'room':'lobby','since':" + since + "}}");
        }

        @ParameterizedTest(name = "[{index}] since {0}")
        @ValueSource(strings = {"42", "'42:k3x9'", "[42,'k3x9']", "true"})
        void given_since_that_is_not_an_object_when_decoding_then_bad_request_replying_to_the_id(String since) {
            assertRefused(join(since), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        static Stream<Arguments> badSeqs() {
            return Stream.of(
                    Arguments.of("float 1.0", "1.0"),
                    Arguments.of("float 1.5", "1.5"),
                    Arguments.of("exponent 1e3", "1e3"),
                    Arguments.of("string", "'1'"),
                    Arguments.of("negative", "-1"),
                    Arguments.of("2^53 + 1", String.valueOf(TWO_TO_53 + 1)),
                    Arguments.of("Long.MAX_VALUE", String.valueOf(Long.MAX_VALUE)),
                    Arguments.of("beyond a long", "123456789012345678901234567890"),
                    Arguments.of("boolean", "true"),
                    Arguments.of("null", "null"),
                    Arguments.of("array", "[1]"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badSeqs")
        void given_since_seq_that_is_not_an_integer_in_0_to_2_pow_53_when_decoding_then_bad_request_replying_to_the_id(
                String name, String seq) {
            assertRefused(join("{'seq':" + seq + ",'epoch':'k3x9'}"), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        @Test
        void given_seq_of_a_thousand_and_one_digits_when_decoding_then_bad_request() {
            Inbound inbound = join("{'seq':" + "9".repeat(1001) + ",'epoch':'k3x9'}");

            assertThat(invalid(inbound).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        }

        @Test
        void given_since_without_seq_when_decoding_then_bad_request_replying_to_the_id() {
            assertRefused(join("{'epoch':'k3x9'}"), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        static Stream<Arguments> badEpochs() {
            return Stream.of(
                    Arguments.of("missing", "{'seq':1}"),
                    Arguments.of("null", "{'seq':1,'epoch':null}"),
                    Arguments.of("number", "{'seq':1,'epoch':12}"),
                    Arguments.of("array", "{'seq':1,'epoch':['k3x9']}"),
                    Arguments.of("object", "{'seq':1,'epoch':{}}"),
                    Arguments.of("empty", "{'seq':1,'epoch':''}"),
                    Arguments.of("65 characters", "{'seq':1,'epoch':'" + "e".repeat(65) + "'}"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badEpochs")
        void given_epoch_that_is_not_a_string_of_1_to_64_characters_when_decoding_then_bad_request_replying_to_the_id(
                String name, String since) {
            assertRefused(join(since), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }
    }

    @Nested
    class Typing {

        @ParameterizedTest(name = "[{index}] active {0}")
        @ValueSource(strings = {"'true'", "1", "0", "null", "[true]", "{}"})
        void given_active_that_is_not_a_boolean_when_decoding_then_bad_request_replying_to_the_id(String active) {
            Inbound inbound = decode("{'type':'typing','id':'r1','payload':{'room':'lobby','active':" + active + "}}");

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.of(R1));
            assertThat(inbound.type()).isEqualTo("typing");
        }

        @Test
        void given_active_missing_and_no_id_when_decoding_then_bad_request_without_reply_to() {
            assertRefused(decode("{'type':'typing','payload':{'room':'lobby'}}"), ErrorCode.BAD_REQUEST,
                    Optional.empty());
        }
    }

    @Nested
    class ChatText {

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"\\ud800", "a\\ud800b", "ab\\ud800", "\\udc00", "a\\udc00b",
            "\\udc00\\ud800", "\\ud83d\\ud83d\\ude00x\\ud800"})
        void givenTextWithUnpairedSurrogateEscape_whenDecoding_thenBadRequestReplyingToTheId(String text) {
            assertRefused(codec.decode(chatWithText(text), CONNECTION), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        @Test
        void given_text_with_paired_surrogate_escapes_when_decoding_then_accepted_as_one_code_point() {
            Inbound inbound = codec.decode(chatWithText("\\ud83d\\ude00"), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().text().value()).isEqualTo("\uD83D\uDE00");
        }

        @Test
        void given_text_of_4000_code_points_when_decoding_then_accepted() {
            Inbound inbound = codec.decode(chatWithText("x".repeat(4000)), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().text().value()).hasSize(4000);
        }

        @Test
        void given_text_of_4000_astral_code_points_in_8000_chars_when_decoding_then_accepted() {
            Inbound inbound = codec.decode(chatWithText("\uD83D\uDE00".repeat(4000)), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().text().value()).hasSize(8000);
        }

        @Test
        void given_text_of_4000_code_points_inside_white_space_and_controls_when_decoding_then_accepted_after_cleaning() {
            Inbound inbound = codec.decode(chatWithText("  \\r\\n" + "x".repeat(4000) + "\\u0000\\t "), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().text().value()).isEqualTo("x".repeat(4000));
        }

        @ParameterizedTest(name = "[{index}] {0} code points")
        @ValueSource(ints = {4001, 10_000})
        void given_text_over_the_limit_when_decoding_then_too_large_replying_to_the_id(int codePoints) {
            assertRefused(codec.decode(chatWithText("x".repeat(codePoints)), CONNECTION), ErrorCode.TOO_LARGE,
                    Optional.of(R1));
        }

        @Test
        void given_text_of_4001_astral_code_points_when_decoding_then_too_large_replying_to_the_id() {
            assertRefused(codec.decode(chatWithText("\uD83D\uDE00".repeat(4001)), CONNECTION), ErrorCode.TOO_LARGE,
                    Optional.of(R1));
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"\\u0000", "\\u0001\\r\\u007f", "\\u0085\\u009f\\u0080", "   ", " \\n\\t \\r ",
            "\\u00a0\\u202f", "\\u0000 \\u001b \\u0007"})
        void givenTextOfOnlyControlsAndWhiteSpace_whenDecoding_thenBadRequestReplyingToTheId(String text) {
            assertRefused(codec.decode(chatWithText(text), CONNECTION), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        @ParameterizedTest(name = "[{index}] text {0}")
        @ValueSource(strings = {"{'room':'lobby'}", "{'room':'lobby','text':null}", "{'room':'lobby','text':42}",
            "{'room':'lobby','text':['hi']}", "{'room':'lobby','text':{'value':'hi'}}",
            "{'room':'lobby','text':true}"})
        void givenTextMissingOrNotAString_whenDecoding_thenBadRequestReplyingToTheId(String payload) {
            assertRefused(decode("{'type':'chat','id':'r1','payload':" + payload + "}"), ErrorCode.BAD_REQUEST,
                    Optional.of(R1));
        }
    }

    @Nested
    class ChatData {

        @ParameterizedTest(name = "[{index}] data {0}")
        @ValueSource(strings = {"[]", "[{\"a\":1}]", "\"{}\"", "1", "true", "false"})
        void given_data_that_is_not_an_object_when_decoding_then_bad_request_replying_to_the_id(String data) {
            assertRefused(codec.decode(chatWithData(data), CONNECTION), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        /** {"k":"..."} is 8 bytes around the string. */
        private String dataOfBytes(int bytes) {
            return "{\"k\":\"" + "v".repeat(bytes - 8) + "\"}";
        }

        @Test
        void given_data_of_exactly_8_ki_b_when_decoding_then_accepted() {
            String data = dataOfBytes(8192);

            Inbound inbound = codec.decode(chatWithData(data), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().data()).contains(new MessageData(data));
        }

        @Test
        void given_data_one_byte_over_8_ki_b_when_decoding_then_too_large_replying_to_the_id() {
            assertRefused(codec.decode(chatWithData(dataOfBytes(8193)), CONNECTION), ErrorCode.TOO_LARGE,
                    Optional.of(R1));
        }

        @Test
        void given_data_under_8_ki_b_of_chars_but_over_in_utf_8_bytes_when_decoding_then_too_large() {
            // 4093 two-byte characters: 4101 chars, 8194 bytes
            String data = "{\"k\":\"" + "\u00e9".repeat(4093) + "\"}";

            assertRefused(codec.decode(chatWithData(data), CONNECTION), ErrorCode.TOO_LARGE, Optional.of(R1));
        }

        @Test
        void given_data_whose_spaced_form_is_over_8_ki_b_but_compact_form_is_not_when_decoding_then_accepted() {
            String data = "{\"k\" :  \"" + "v".repeat(8184) + "\"   }";

            Inbound inbound = codec.decode(chatWithData(data), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().data()).contains(new MessageData(dataOfBytes(8192)));
        }

        @Test
        void given_data_nested_16_deep_when_decoding_then_accepted() {
            String data = nestedData(16);

            Inbound inbound = codec.decode(chatWithData(data), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().data()).contains(new MessageData(data));
        }

        @Test
        void given_data_nested_17_deep_when_decoding_then_too_large_replying_to_the_id() {
            assertRefused(codec.decode(chatWithData(nestedData(17)), CONNECTION), ErrorCode.TOO_LARGE,
                    Optional.of(R1));
        }

        @Test
        void given_data_nested_17_deep_in_arrays_when_decoding_then_too_large_replying_to_the_id() {
            String data = "{\"a\":" + "[".repeat(16) + "]".repeat(16) + "}";

            assertRefused(codec.decode(chatWithData(data), CONNECTION), ErrorCode.TOO_LARGE, Optional.of(R1));
        }

        @Test
        void given_brackets_inside_data_strings_when_decoding_then_not_counted_as_nesting() {
            String data = "{\"a\":\"" + "[{".repeat(40) + "\"}";

            Inbound inbound = codec.decode(chatWithData(data), CONNECTION);

            assertThat(((Inbound.Chat) inbound).command().data()).contains(new MessageData(data));
        }

        @ParameterizedTest(name = "[{index}] {0} deep")
        @ValueSource(ints = {62, 63, 100, 1_000, 10_000})
        void given_data_nested_far_too_deep_when_decoding_then_still_too_large_replying_to_the_id(int depth) {
            assertRefused(codec.decode(chatWithData(nestedData(depth)), CONNECTION), ErrorCode.TOO_LARGE,
                    Optional.of(R1));
        }

        @Test
        void given_data_nested_far_too_deep_and_the_id_last_when_decoding_then_too_large_replying_to_the_id() {
            String text = "{\"type\":\"chat\",\"payload\":{\"room\":\"lobby\",\"text\":\"hi\",\"data\":"
                    + nestedData(500) + "},\"id\":\"r1\"}";

            assertRefused(codec.decode(text, CONNECTION), ErrorCode.TOO_LARGE, Optional.of(R1));
        }

        @Test
        void given_data_nested_far_too_deep_and_an_invalid_id_when_decoding_then_too_large_without_reply_to() {
            String text = "{\"type\":\"chat\",\"id\":\"not valid!\",\"payload\":{\"room\":\"lobby\","
                    + "\"text\":\"hi\",\"data\":" + nestedData(500) + "}}";

            assertRefused(codec.decode(text, CONNECTION), ErrorCode.TOO_LARGE, Optional.empty());
        }

        @Test
        void given_frame_nested_far_too_deep_but_cut_short_when_decoding_then_bad_request_without_reply_to() {
            String cut = chatWithData(nestedData(500));
            cut = cut.substring(0, cut.length() - 3);

            assertRefused(codec.decode(cut, CONNECTION), ErrorCode.BAD_REQUEST, Optional.empty());
        }

        @Test
        void given_frame_nested_far_too_deep_followed_by_trailing_tokens_when_decoding_then_bad_request_without_reply_to() {
            assertRefused(codec.decode(chatWithData(nestedData(500)) + " {}", CONNECTION), ErrorCode.BAD_REQUEST,
                    Optional.empty());
        }

        @Test
        void given_array_nested_far_too_deep_instead_of_an_object_when_decoding_then_bad_request() {
            String text = "[".repeat(500) + "]".repeat(500);

            assertRefused(codec.decode(text, CONNECTION), ErrorCode.BAD_REQUEST, Optional.empty());
        }
    }

    @Nested
    class HistoryBounds {

        private Inbound history(String fields) {
            return decode("{'type':'history','id':'r1','payload':{'room':'lobby'," + fields + "}}");
        }

        @ParameterizedTest(name = "[{index}] limit {0}")
        @ValueSource(strings = {"0", "101", "-1", "1.0", "50.5", "1e1", "'10'", "true", "[10]",
            "123456789012345678901234567890"})
        void givenLimitThatIsNotAnIntegerIn1To100_whenDecoding_thenBadRequestReplyingToTheId(String limit) {
            Inbound inbound = history("'limit':" + limit);

            assertRefused(inbound, ErrorCode.BAD_REQUEST, Optional.of(R1));
            assertThat(inbound.type()).isEqualTo("history");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"'after':-1", "'after':1.0", "'after':'3'", "'after':9007199254740993",
            "'before':-5", "'before':2.5", "'before':'7'", "'before':true", "'before':9007199254740993"})
        void givenAfterOrBeforeThatIsNotASeq_whenDecoding_thenBadRequestReplyingToTheId(String field) {
            assertRefused(history(field), ErrorCode.BAD_REQUEST, Optional.of(R1));
        }

        @Test
        void given_null_bounds_and_limit_when_decoding_then_treated_as_absent() {
            Inbound inbound = history("'after':null,'before':null,'limit':null");

            assertThat(((Inbound.History) inbound).command().query())
                    .isEqualTo(new HistoryQuery(LOBBY, OptionalLong.empty(), OptionalLong.empty(), 50));
        }
    }
}
