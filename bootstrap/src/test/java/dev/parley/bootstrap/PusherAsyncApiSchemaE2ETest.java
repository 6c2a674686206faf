package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client schemas of docs/asyncapi-pusher.yaml against the Pusher front door itself: each
 * frame goes to a running server on a fresh socket, the server's verdict is read off the wire
 * (a {@code pusher:error} with its code, a {@code pusher:subscription_error} with its status, a
 * close, or nothing at all: ignored), and then the schema's. Frames the server refuses are
 * refused by the schema, frames it takes are taken. A frame's signature is made for its socket,
 * so that what is refused is the frame, not its signature.
 *
 * <p>What a schema cannot tell is left out on purpose, and written down here: whether a
 * signature is right and whether the socket is subscribed to a client event's channel (state,
 * not form), a {@code user_info} over 8,192 characters of JSON, {@code 42.0} where an integer
 * {@code user_id} is due (the same number to JSON Schema), and the limits of size and rate.
 * The server also reads a {@code channel} or {@code auth} that is a number or a boolean as its
 * text ({@code "channel": 5} subscribes to {@code 5}); the schema asks for strings.
 */
class PusherAsyncApiSchemaE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = PusherTestSocket.KEY;
    private static final String HEX_64 = "0".repeat(64);
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

    /** What the server did with a frame. */
    enum Verdict {
        ERROR_4009, ERROR_4301, SUBSCRIPTION_401, SUBSCRIPTION_400, CLOSED_4009, IGNORED,
        SUBSCRIBED, SIGNED_IN, PONG, OTHER;

        boolean closes() {
            return this == CLOSED_4009;
        }
    }

    /** A frame for a socket: given its socket id, the text to send. */
    private interface Frame extends Function<String, String> {
    }

    private static Frame raw(String text) {
        return socketId -> text;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A map of the pairs given, in their order; a null value is written as JSON null. */
    private static Map<String, Object> object(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static String frame(String event, Object data) {
        return json(object("event", event, "data", data));
    }

    private static String auth(String signed) {
        return KEY + ":" + PusherTestSocket.sign(signed);
    }

    /** {@code pusher:subscribe} to a private, encrypted or public channel, signed for the socket. */
    private static Frame signedSubscribe(String channel) {
        return socketId -> frame("pusher:subscribe", object("channel", channel, "auth", auth(socketId + ":" + channel)));
    }

    /** {@code pusher:subscribe} to a presence channel with this {@code channel_data}, signed for the socket. */
    private static Frame presence(String channel, String channelData) {
        return socketId -> frame("pusher:subscribe", object("channel", channel,
                "auth", auth(socketId + ":" + channel + ":" + channelData), "channel_data", channelData));
    }

    /** {@code pusher:signin} with this {@code user_data}, signed for the socket. */
    private static Frame signin(String userData) {
        return socketId -> frame("pusher:signin", object("auth", auth(socketId + "::user::" + userData),
                "user_data", userData));
    }

    static List<Arguments> refusedFrames() {
        String presence = "presence-" + E2E.room("schema");
        return List.of(
                // the envelope: not a JSON object with a string event
                Arguments.of("not JSON", raw("pusher:ping"), Verdict.ERROR_4009),
                Arguments.of("an array", raw("[{\"event\":\"pusher:ping\"}]"), Verdict.ERROR_4009),
                Arguments.of("a JSON string", raw("\"pusher:ping\""), Verdict.ERROR_4009),
                Arguments.of("no event", raw("{\"data\":{}}"), Verdict.ERROR_4009),
                Arguments.of("a number as event", raw("{\"event\":5,\"data\":{}}"), Verdict.ERROR_4009),
                // channel names
                Arguments.of("a space in the channel", raw(frame("pusher:subscribe", object("channel", "a b"))),
                        Verdict.ERROR_4009),
                Arguments.of("an empty channel", raw(frame("pusher:subscribe", object("channel", ""))), Verdict.ERROR_4009),
                Arguments.of("a channel of 165 characters",
                        raw(frame("pusher:subscribe", object("channel", "c".repeat(165)))), Verdict.ERROR_4009),
                Arguments.of("a channel outside ASCII", raw(frame("pusher:subscribe", object("channel", "caf\u00e9"))),
                        Verdict.ERROR_4009),
                Arguments.of("a channel with a slash", raw(frame("pusher:subscribe", object("channel", "a/b"))),
                        Verdict.ERROR_4009),
                Arguments.of("#server-to-user- without a user",
                        raw(frame("pusher:subscribe", object("channel", "#server-to-user-"))), Verdict.ERROR_4009),
                Arguments.of("no channel", raw(frame("pusher:subscribe", object("auth", ""))), Verdict.ERROR_4009),
                Arguments.of("no data", raw("{\"event\":\"pusher:subscribe\"}"), Verdict.ERROR_4009),
                Arguments.of("data an array", raw(frame("pusher:subscribe", List.of("orders"))), Verdict.ERROR_4009),
                Arguments.of("data a string that is not JSON", raw(frame("pusher:subscribe", "orders")),
                        Verdict.ERROR_4009),
                Arguments.of("data a JSON string with a bad channel",
                        raw(frame("pusher:subscribe", "{\"channel\":\"a b\"}")), Verdict.ERROR_4009),
                // signatures a private or presence channel lacks
                Arguments.of("a private channel without auth",
                        raw(frame("pusher:subscribe", object("channel", "private-orders"))), Verdict.SUBSCRIPTION_401),
                Arguments.of("a private channel with an empty auth",
                        raw(frame("pusher:subscribe", object("channel", "private-orders", "auth", ""))),
                        Verdict.SUBSCRIPTION_401),
                Arguments.of("an encrypted channel with a null auth",
                        raw(frame("pusher:subscribe", object("channel", "private-encrypted-x", "auth", null))),
                        Verdict.SUBSCRIPTION_401),
                Arguments.of("an auth without the key",
                        raw(frame("pusher:subscribe", object("channel", "private-orders", "auth", HEX_64))),
                        Verdict.SUBSCRIPTION_401),
                Arguments.of("an auth in upper-case hex",
                        raw(frame("pusher:subscribe", object("channel", "private-orders",
                                "auth", KEY + ":" + "A".repeat(64)))), Verdict.SUBSCRIPTION_401),
                Arguments.of("a presence channel without channel_data",
                        (Frame) socketId -> frame("pusher:subscribe", object("channel", presence,
                                "auth", auth(socketId + ":" + presence))), Verdict.SUBSCRIPTION_401),
                // presence channel_data, signed
                Arguments.of("channel_data that is not JSON", presence(presence, "user 7"), Verdict.SUBSCRIPTION_400),
                Arguments.of("channel_data an array", presence(presence, "[7]"), Verdict.SUBSCRIPTION_400),
                Arguments.of("channel_data without user_id", presence(presence, "{\"user_info\":{}}"),
                        Verdict.SUBSCRIPTION_400),
                Arguments.of("an empty user_id", presence(presence, "{\"user_id\":\"\"}"), Verdict.SUBSCRIPTION_400),
                Arguments.of("a user_id with a space", presence(presence, "{\"user_id\":\"a b\"}"),
                        Verdict.SUBSCRIPTION_400),
                Arguments.of("a user_id of 129 characters",
                        presence(presence, "{\"user_id\":\"" + "u".repeat(129) + "\"}"), Verdict.SUBSCRIPTION_400),
                Arguments.of("a fractional user_id", presence(presence, "{\"user_id\":1.5}"), Verdict.SUBSCRIPTION_400),
                Arguments.of("a boolean user_id", presence(presence, "{\"user_id\":true}"), Verdict.SUBSCRIPTION_400),
                Arguments.of("a null user_id", presence(presence, "{\"user_id\":null}"), Verdict.SUBSCRIPTION_400),
                // sign-in: a bad user_data or auth closes the socket
                Arguments.of("user_data that is not JSON", signin("ann"), Verdict.CLOSED_4009),
                Arguments.of("user_data without id", signin("{\"name\":\"Ann\"}"), Verdict.CLOSED_4009),
                Arguments.of("a numeric id", signin("{\"id\":42}"), Verdict.CLOSED_4009),
                Arguments.of("an empty id", signin("{\"id\":\"\"}"), Verdict.CLOSED_4009),
                Arguments.of("a sign-in without auth",
                        raw(frame("pusher:signin", object("user_data", "{\"id\":\"ann\"}"))), Verdict.CLOSED_4009),
                Arguments.of("a sign-in without user_data",
                        raw(frame("pusher:signin", object("auth", KEY + ":" + HEX_64))), Verdict.CLOSED_4009),
                // client events on channels that never take them
                Arguments.of("a client event without channel", raw(frame("client-typing", object())), Verdict.ERROR_4301),
                Arguments.of("a client event on a public channel",
                        raw(json(object("event", "client-typing", "channel", "orders", "data", object()))),
                        Verdict.ERROR_4301),
                Arguments.of("a client event on an encrypted channel",
                        raw(json(object("event", "client-typing", "channel", "private-encrypted-x", "data", object()))),
                        Verdict.ERROR_4301),
                // events the server ignores
                Arguments.of("an unknown pusher event", raw(frame("pusher:hello", object())), Verdict.IGNORED),
                Arguments.of("an app event from a client",
                        raw(json(object("event", "OrderShipped", "channel", "orders", "data", "{}"))), Verdict.IGNORED),
                Arguments.of("a server event from a client",
                        raw(json(object("event", "pusher_internal:subscription_succeeded", "channel", "orders",
                                "data", "{}"))), Verdict.IGNORED),
                Arguments.of("an unsubscribe without channel", raw(frame("pusher:unsubscribe", object())), Verdict.IGNORED),
                Arguments.of("an unsubscribe without data", raw("{\"event\":\"pusher:unsubscribe\"}"), Verdict.IGNORED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFrames")
    void given_a_frame_the_pusher_front_door_refuses_when_checked_against_the_document_then_its_schema_refuses_it(
            String label, Frame frame, Verdict verdict) {
        try (PusherTestSocket socket = PusherTestSocket.open(port)) {
            String text = frame.apply(socket.socketId());

            assertThat(serversVerdict(socket, text, verdict.closes())).as("the server's verdict on %s", text)
                    .isEqualTo(verdict);
            assertThat(AsyncApiDocument.pusher().clientViolations(text)).as("the schema's verdict on %s", text)
                    .isNotEmpty();
        }
    }

    static List<Arguments> takenFrames() {
        String presence = "presence-" + E2E.room("schema");
        String longest = "Az09_-=@,.;".repeat(14) + "abcdefghij";
        return List.of(
                Arguments.of("a public channel as pusher-js asks", raw(frame("pusher:subscribe",
                        object("auth", "", "channel", "orders"))), Verdict.SUBSCRIBED),
                Arguments.of("a public channel without auth", raw(frame("pusher:subscribe",
                        object("channel", "orders"))), Verdict.SUBSCRIBED),
                Arguments.of("a public channel with a null auth and fields nobody reads", raw(json(object(
                        "event", "pusher:subscribe", "data", object("channel", "orders", "auth", null, "x", 1),
                        "channel", "ignored", "extra", true))), Verdict.SUBSCRIBED),
                Arguments.of("data as a JSON string", raw(frame("pusher:subscribe", "{\"channel\":\"orders\"}")),
                        Verdict.SUBSCRIBED),
                Arguments.of("a channel of 164 characters of every kind", raw(frame("pusher:subscribe",
                        object("channel", longest))), Verdict.SUBSCRIBED),
                Arguments.of("a private channel, signed", signedSubscribe("private-orders.42"), Verdict.SUBSCRIBED),
                Arguments.of("a private channel with channel_data it does not read", (Frame) socketId -> frame(
                        "pusher:subscribe", object("channel", "private-x", "auth", auth(socketId + ":private-x"),
                                "channel_data", "not read")), Verdict.SUBSCRIBED),
                Arguments.of("an encrypted channel, signed", signedSubscribe("private-encrypted-x"), Verdict.SUBSCRIBED),
                Arguments.of("a presence channel with an integer user_id", presence(presence, "{\"user_id\":7}"),
                        Verdict.SUBSCRIBED),
                Arguments.of("a presence channel with user_info", presence(presence,
                        "{\"user_id\":\"ann\",\"user_info\":{\"name\":\"Ann\",\"tags\":[1,null]}}"), Verdict.SUBSCRIBED),
                Arguments.of("a presence channel as a JSON string", (Frame) socketId -> frame("pusher:subscribe",
                        json(object("channel", presence, "auth", auth(socketId + ":" + presence + ":{\"user_id\":\"8\"}"),
                                "channel_data", "{\"user_id\":\"8\"}"))), Verdict.SUBSCRIBED),
                Arguments.of("a sign-in", signin("{\"id\":\"ann\",\"user_info\":{\"name\":\"Ann\"}}"), Verdict.SIGNED_IN),
                Arguments.of("a sign-in with a watchlist", signin("{\"id\":\"bo\",\"watchlist\":[\"ann\"]}"),
                        Verdict.SIGNED_IN),
                Arguments.of("a ping as pusher-js sends it", raw(frame("pusher:ping", object())), Verdict.PONG),
                Arguments.of("a ping without data", raw("{\"event\":\"pusher:ping\"}"), Verdict.PONG),
                Arguments.of("a ping with data it does not read", raw(frame("pusher:ping", 5)), Verdict.PONG),
                Arguments.of("a pong", raw(frame("pusher:pong", object())), Verdict.IGNORED),
                Arguments.of("an unsubscribe from a channel it is not in",
                        raw(frame("pusher:unsubscribe", object("channel", "orders"))), Verdict.IGNORED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("takenFrames")
    void given_a_frame_the_pusher_front_door_takes_when_checked_against_the_document_then_its_schema_takes_it(
            String label, Frame frame, Verdict verdict) {
        try (PusherTestSocket socket = PusherTestSocket.open(port)) {
            String text = frame.apply(socket.socketId());

            assertThat(AsyncApiDocument.pusher().clientViolations(text)).as("the schema's verdict on %s", text)
                    .isEmpty();
            assertThat(serversVerdict(socket, text, false)).as("the server's verdict on %s", text).isEqualTo(verdict);
        }
    }

    /**
     * Sends the frame and reads what came of it: for a frame that may close the socket, the close;
     * otherwise everything before the pong of a ping sent after it (the server answers a socket's
     * frames in order, and refuses synchronously; a subscription may take longer, so it is
     * awaited).
     */
    private static Verdict serversVerdict(PusherTestSocket socket, String text, boolean closes) {
        socket.sendRaw(text);
        if (closes) {
            int code = socket.awaitCloseCode();
            JsonNode error = socket.await("pusher:error", null);
            return code == 4009 && error.path("data").path("code").asInt() == 4009 ? Verdict.CLOSED_4009 : Verdict.OTHER;
        }
        String event = eventOf(text);
        if (event.equals("pusher:subscribe") || event.equals("pusher:signin")) {
            socket.await(answer -> List.of("pusher_internal:subscription_succeeded", "pusher:subscription_error",
                    "pusher:error", "pusher:signin_success").contains(answer.path("event").asText()));
        }
        socket.send("pusher:ping", Map.of(), null);
        socket.await(answer -> answer.path("event").asText().equals("pusher:pong")
                && socket.events("pusher:pong").size() >= (event.equals("pusher:ping") ? 2 : 1));
        List<JsonNode> answers = socket.all().stream()
                .filter(answer -> !answer.path("event").asText().equals("pusher:connection_established"))
                .collect(Collectors.toList());
        List<String> events = answers.stream().map(answer -> answer.path("event").asText()).collect(Collectors.toList());
        if (events.contains("pusher:error")) {
            int code = socket.events("pusher:error").get(0).path("data").path("code").asInt();
            return code == 4009 ? Verdict.ERROR_4009 : code == 4301 ? Verdict.ERROR_4301 : Verdict.OTHER;
        }
        if (events.contains("pusher:subscription_error")) {
            int status = socket.events("pusher:subscription_error").get(0).path("data").path("status").asInt();
            return status == 401 ? Verdict.SUBSCRIPTION_401 : status == 400 ? Verdict.SUBSCRIPTION_400 : Verdict.OTHER;
        }
        if (events.contains("pusher_internal:subscription_succeeded")) {
            return Verdict.SUBSCRIBED;
        }
        if (events.contains("pusher:signin_success")) {
            return Verdict.SIGNED_IN;
        }
        return events.stream().filter(answer -> answer.equals("pusher:pong")).count() == 2 ? Verdict.PONG : Verdict.IGNORED;
    }

    /** The event a frame names, or "" when it is not a JSON object with a string event. */
    private static String eventOf(String text) {
        try {
            return JSON.readTree(text).path("event").asText("");
        } catch (Exception notJson) {
            return "";
        }
    }
}
