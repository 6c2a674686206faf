package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.room;
import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * docs/protocol.md sections 7 and 8 on the wire: frames the server refuses by closing, heartbeats,
 * slow consumers, token expiry, and that one client's bad input never hurts another.
 */
class ConnectionLifecycleE2ETest {
    /** Close codes after which a client does not reconnect (docs/protocol.md section 9). */
    private static final List<Integer> FINAL_CLOSE_CODES = List.of(1000, 1003, 1008, 4001);

    // ---- frames refused by closing -----------------------------------------------------------

    @Test
    void given_a_binary_frame_when_sent_then_the_connection_is_closed_with_1003() {
        try (RunningServer server = E2E.start(); TestClient a = TestClient.connect(server.port(), Tokens.of(user("alice")))) {
            a.welcome();
            a.sendBinary("{\"type\":\"ping\",\"id\":\"b\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(a.awaitCloseCode()).isEqualTo(1003);
            assertThat(a.received("pong")).isEmpty();
        }
    }

    @Test
    void given_a_text_frame_of_exactly_64_kib_when_sent_then_it_is_read_and_one_byte_more_closes_with_1009() {
        try (RunningServer server = E2E.start()) {
            String token = Tokens.of(user("alice"));
            try (RawWebSocket ws = RawWebSocket.open(server.port(), "token=" + token)) {
                assertThat(ws.read().text()).contains("\"welcome\"");
                ws.sendFrame(RawWebSocket.TEXT, pingOfSize("fits", 64 * 1024));
                RawWebSocket.Frame pong = ws.readUntil(RawWebSocket.TEXT);
                assertThat(pong).isNotNull();
                assertThat(pong.text()).contains("\"pong\"").contains("\"replyTo\":\"fits\"");

                ws.sendFrame(RawWebSocket.TEXT, pingOfSize("over", 64 * 1024 + 1));
                RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
                assertThat(close).as("a close frame").isNotNull();
                assertThat(close.closeCode()).isEqualTo(1009);
            }
            // Counted as the 1009 it was, not as a dropped connection.
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(E2E.get(server.port(), "/metrics").body())
                    .containsPattern("(?m)^parley_closes_total\\{code=\"1009\"[^}]*} 1\\.0$")
                    .doesNotContainPattern("(?m)^parley_closes_total\\{code=\"1006\""));
            // java.net.http may split a long message into several frames: the limit holds for the
            // message. The server closes as soon as it has read 64 KiB + 1; the rest of the message,
            // still arriving, makes the closed socket answer with a TCP reset, which can overtake the
            // close frame at the client: then it sees the connection drop (1006) instead of 1009.
            try (TestClient a = TestClient.connect(server.port(), token)) {
                a.welcome();
                a.trySend(new String(pingOfSize("big", 100 * 1024), StandardCharsets.UTF_8));
                assertThat(a.awaitCloseCode()).isIn(1009, TestClient.NO_CLOSE_FRAME);
                assertThat(a.received("pong")).isEmpty();
            }
        }
    }

    @Test
    void given_a_message_in_fragments_with_a_ping_between_when_sent_then_the_ping_is_answered_and_the_message_read_whole() {
        try (RunningServer server = E2E.start();
             RawWebSocket ws = RawWebSocket.open(server.port(), "token=" + Tokens.of(user("alice")))) {
            assertThat(ws.read().text()).contains("\"welcome\"");
            byte[] message = "{\"type\":\"ping\",\"id\":\"in-pieces\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
            ws.sendFrame(RawWebSocket.TEXT, false, Arrays.copyOfRange(message, 0, 10));
            ws.sendFrame(RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8));
            ws.sendFrame(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(message, 10, 20));
            ws.sendFrame(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(message, 20, message.length));

            RawWebSocket.Frame pong = ws.readUntil(RawWebSocket.PONG);
            assertThat(pong).isNotNull();
            assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
            RawWebSocket.Frame answer = ws.readUntil(RawWebSocket.TEXT);
            assertThat(answer).isNotNull();
            assertThat(answer.text()).contains("\"pong\"").contains("\"replyTo\":\"in-pieces\"");
        }
    }

    @Test
    void given_frames_that_break_rfc_6455_when_sent_then_the_sender_is_closed_with_1002_or_1007_and_the_others_stay() {
        try (RunningServer server = E2E.start();
             TestClient bystander = TestClient.connect(server.port(), Tokens.of(user("bystander")))) {
            bystander.welcome();
            assertThat(closeCodeAfter(server.port(), ws -> ws.sendRaw(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}))).isEqualTo(1002);
            // RSV1 set: no extension was agreed.
            assertThat(closeCodeAfter(server.port(), ws -> ws.sendFrame(0x40 | RawWebSocket.TEXT, new byte[] {'x'})))
                    .isEqualTo(1002);
            assertThat(closeCodeAfter(server.port(), ws -> ws.sendFrame(RawWebSocket.CONTINUATION, new byte[] {'x'})))
                    .isEqualTo(1002);
            assertThat(closeCodeAfter(server.port(), ws -> ws.sendFrame(RawWebSocket.PING, false, new byte[] {'x'})))
                    .isEqualTo(1002);
            // 1005 means "no code": no endpoint may put it in a close frame.
            assertThat(closeCodeAfter(server.port(), ws -> ws.sendFrame(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xED})))
                    .isEqualTo(1002);
            assertThat(closeCodeAfter(server.port(), ws -> ws.sendFrame(RawWebSocket.TEXT, new byte[] {(byte) 0xC3, 0x28})))
                    .isEqualTo(1007);

            assertThat(bystander.request("ping", Map.of()).get("type").asText()).isEqualTo("pong");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(E2E.get(server.port(), "/metrics").body())
                    .containsPattern("(?m)^parley_closes_total\\{code=\"1002\"[^}]*} 5\\.0$")
                    .containsPattern("(?m)^parley_closes_total\\{code=\"1007\"[^}]*} 1\\.0$"));
        }
    }

    /** Opens a raw socket, lets {@code send} break the protocol, and returns the server's close code. */
    private static int closeCodeAfter(int port, Consumer<RawWebSocket> send) {
        try (RawWebSocket ws = RawWebSocket.open(port, "token=" + Tokens.of(user("breaker")))) {
            assertThat(ws.read().text()).contains("\"welcome\"");
            send.accept(ws);
            RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
            assertThat(close).as("a close frame").isNotNull();
            return close.closeCode();
        }
    }

    /** A valid ping frame of exactly {@code bytes} bytes of UTF-8, padded in an ignored payload field. */
    private static byte[] pingOfSize(String id, int bytes) {
        String head = "{\"type\":\"ping\",\"id\":\"" + id + "\",\"payload\":{\"pad\":\"";
        String tail = "\"}}";
        String frame = head + "p".repeat(bytes - head.length() - tail.length()) + tail;
        byte[] utf8 = frame.getBytes(StandardCharsets.UTF_8);
        assertThat(utf8).hasSize(bytes);
        return utf8;
    }

    // ---- heartbeats ------------------------------------------------------------------------

    /**
     * For the clients that must stay open: pings every 200 ms, closed after 1.2 s of silence. A
     * wider window than the timeout test's 500 ms, so that a test JVM starved of CPU for a moment
     * (two cores, other builds beside) is not taken for a dead client; 15 pings (3 s) still span
     * it more than twice.
     */
    private static final String[] STAY_OPEN_HEARTBEAT = {"--heartbeat-interval-ms", "200", "--heartbeat-timeout-ms", "1000"};
    private static final int STAY_OPEN_PINGS = 15;

    /**
     * A client that never answers the server's pings. {@code java.net.http} answers every ping
     * it reads by itself, so this one speaks RFC 6455 over a plain socket ({@link RawWebSocket})
     * and simply ignores ping frames.
     */
    @Test
    void given_a_client_that_answers_no_ping_when_silent_for_interval_plus_timeout_then_the_server_closes_it() {
        try (RunningServer server = E2E.start("--heartbeat-interval-ms", "200", "--heartbeat-timeout-ms", "300");
             RawWebSocket silent = RawWebSocket.open(server.port(), "token=" + Tokens.of(user("alice")))) {
            long opened = System.nanoTime();
            JsonNode welcome = E2E.json(silent.read().text());
            assertThat(welcome.get("payload").get("heartbeat").get("intervalMs").asLong()).isEqualTo(200);
            assertThat(welcome.get("payload").get("heartbeat").get("timeoutMs").asLong()).isEqualTo(300);

            int pings = 0;
            RawWebSocket.Frame frame;
            while ((frame = silent.read()) != null && frame.opcode() != RawWebSocket.CLOSE) {
                if (frame.opcode() == RawWebSocket.PING) {
                    pings++;
                }
            }
            long silentMillis = Duration.ofNanos(System.nanoTime() - opened).toMillis();

            assertThat(frame).as("a close frame, not a dropped connection").isNotNull();
            assertThat(pings).as("pings before the close").isGreaterThanOrEqualTo(1);
            // Never before interval + timeout (500 ms) of silence; a little slack for when the server's clock started.
            assertThat(silentMillis).isGreaterThanOrEqualTo(400);
            assertThat(frame.closeCode()).as("a close the client reconnects after").isNotIn(FINAL_CLOSE_CODES);
            // Its slot is released once the socket is gone (without our close reply the server drops it after 5 s).
            silent.close();
            await().atMost(Duration.ofSeconds(15)).until(() -> server.openConnections() == 0);
        }
    }

    /**
     * Each connection has its own deadline, interval + timeout (here 6.5 s) after its last
     * frame; it is not found out only at the next ping tick (12 s after it opened).
     */
    @Test
    void given_a_silent_member_when_interval_plus_timeout_pass_after_its_last_frame_then_it_leaves_at_that_deadline() {
        String quiet = user("quiet");
        String room = E2E.room("deadline");
        try (RunningServer server = E2E.start("--heartbeat-interval-ms", "6000", "--heartbeat-timeout-ms", "500");
             TestClient watcher = TestClient.connect(server.port(), Tokens.of(user("watcher")));
             RawWebSocket silent = RawWebSocket.open(server.port(), "token=" + Tokens.of(quiet))) {
            watcher.welcome();
            watcher.join(room);
            assertThat(silent.read().text()).contains("\"welcome\"");
            silent.sendText("{\"type\":\"join_room\",\"id\":\"j1\",\"payload\":{\"room\":\"" + room + "\"}}");
            long lastFrame = System.nanoTime();

            watcher.await(frame -> TestClient.type(frame).equals("presence")
                    && frame.path("payload").path("event").asText().equals("leave")
                    && frame.path("payload").path("user").path("id").asText().equals(quiet));
            long leftAfterMillis = Duration.ofNanos(System.nanoTime() - lastFrame).toMillis();

            assertThat(leftAfterMillis).as("ms from its last frame to its leave").isBetween(6_400L, 9_500L);
        }
    }

    @Test
    void given_a_client_that_answers_every_ping_when_many_intervals_pass_then_it_stays_open() {
        try (RunningServer server = E2E.start(STAY_OPEN_HEARTBEAT);
             RawWebSocket alive = RawWebSocket.open(server.port(), "token=" + Tokens.of(user("alice")))) {
            assertThat(alive.read().text()).contains("\"welcome\"");
            long opened = System.nanoTime();
            int pings = 0;
            while (pings < STAY_OPEN_PINGS) {
                RawWebSocket.Frame frame = alive.read();
                assertThat(frame).isNotNull();
                assertThat(frame.opcode()).as("%s", frame).isNotEqualTo(RawWebSocket.CLOSE);
                if (frame.opcode() == RawWebSocket.PING) {
                    pings++;
                    alive.sendPong(frame.payload());
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - opened).toMillis()).isGreaterThan(2400);
            alive.sendText("{\"type\":\"ping\",\"id\":\"still-there\"}");
            RawWebSocket.Frame pong = alive.readUntil(RawWebSocket.TEXT);
            assertThat(pong).isNotNull();
            assertThat(pong.text()).contains("\"replyTo\":\"still-there\"");
        }
    }

    @Test
    void given_a_client_that_ignores_pings_but_sends_ping_messages_when_intervals_pass_then_it_stays_open() {
        try (RunningServer server = E2E.start(STAY_OPEN_HEARTBEAT);
             RawWebSocket browserLike = RawWebSocket.open(server.port(), "token=" + Tokens.of(user("alice")))) {
            assertThat(browserLike.read().text()).contains("\"welcome\"");
            int pings = 0;
            int pongs = 0;
            while (pings < STAY_OPEN_PINGS) {
                RawWebSocket.Frame frame = browserLike.read();
                assertThat(frame).isNotNull();
                assertThat(frame.opcode()).as("%s", frame).isNotEqualTo(RawWebSocket.CLOSE);
                if (frame.opcode() == RawWebSocket.PING) {
                    // Any frame is a sign of life: answer with a protocol ping, never with a pong frame.
                    pings++;
                    browserLike.sendText("{\"type\":\"ping\",\"id\":\"hb" + pings + "\"}");
                } else if (frame.opcode() == RawWebSocket.TEXT && frame.text().contains("\"pong\"")) {
                    pongs++;
                }
            }
            assertThat(pongs).isGreaterThanOrEqualTo(STAY_OPEN_PINGS / 2);
        }
    }

    @Test
    void given_the_default_java_client_when_intervals_pass_then_its_automatic_pongs_keep_it_open() {
        try (RunningServer server = E2E.start(STAY_OPEN_HEARTBEAT);
             TestClient a = TestClient.connect(server.port(), Tokens.of(user("alice")))) {
            a.welcome();
            await().atMost(Duration.ofSeconds(15)).until(() -> a.pingsReceived() >= STAY_OPEN_PINGS);
            assertThat(a.request("ping", Map.of()).get("type").asText()).isEqualTo("pong");
            assertThat(a.isOpen()).isTrue();
        }
    }

    // ---- slow consumers --------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--outbound-max-frames, 50", "--outbound-max-bytes, 400000"})
    void given_a_member_that_stops_reading_when_its_outbound_queue_passes_its_bound_then_it_is_closed_with_1013_and_others_get_everything(
            String flag, String bound) {
        try (RunningServer server = E2E.start(flag, bound, "--rate-per-second", "100000", "--rate-burst", "100000");
             TestClient sender = TestClient.connect(server.port(), Tokens.of(user("sender")));
             TestClient fast = TestClient.connect(server.port(), Tokens.of(user("fast")));
             TestClient slow = TestClient.connect(server.port(), Tokens.of(user("slow")))) {
            String room = room("firehose");
            sender.join(room);
            fast.join(room);
            slow.join(room);
            slow.stopReading();

            // Big messages (about 12 KiB each) fill the socket buffers between server and the
            // slow client sooner; the bound counts only what waits in the server.
            String text = "t".repeat(4000);
            Map<String, Object> data = Map.of("pad", "d".repeat(8000));
            // Batches of 20 (about 240 KB), each waited for by the reading member: whatever the
            // machine's load, its own queue stays well under either bound, the slow one's does not.
            long posted = 0;
            while (posted < 3000 && slowConsumerCloses(server.port()) == 0) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    ids.add(sender.send("chat", sender.nextId(), Map.of("room", room, "text", text, "data", data)));
                }
                for (String id : ids) {
                    assertThat(TestClient.type(sender.reply(id))).isEqualTo("ack");
                    posted++;
                }
                fast.awaitSeq(room, posted);
            }
            assertThat(slowConsumerCloses(server.port())).as("slow consumers closed after %d messages", posted)
                    .isEqualTo(1);

            // Reading again, the slow client finds the close frame behind what was queued for it.
            slow.resume();
            assertThat(slow.awaitCloseCode()).isEqualTo(1013);

            sender.chat(room, "after the slow one left");
            long last = posted + 1;
            fast.awaitSeq(room, last);
            assertThat(fast.isOpen()).isTrue();
            assertThat(fast.chatSeqs(room)).containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            assertThat(slow.chatSeqs(room)).isSubsetOf(LongStream.rangeClosed(1, posted).boxed().toList());
            await().atMost(Duration.ofSeconds(15)).until(() -> server.openConnections() == 2);
        }
    }

    private static final Pattern SLOW_CONSUMER_METRIC =
            Pattern.compile("(?m)^parley_closes_slow_consumer_total(?:\\{[^}]*})? ([0-9.Ee+-]+)$");

    private static double slowConsumerCloses(int port) {
        String metrics = E2E.get(port, "/metrics").body();
        Matcher matcher = SLOW_CONSUMER_METRIC.matcher(metrics);
        assertThat(matcher.find()).as("parley_closes_slow_consumer_total in /metrics").isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    // ---- token expiry ----------------------------------------------------------------------

    @Test
    void given_a_token_that_expires_while_connected_when_its_time_comes_then_the_connection_is_closed_with_4001() {
        try (RunningServer server = E2E.start()) {
            // exp lies 58 s back: accepted within the 60 s leeway, which runs out about 2 s from now.
            Instant exp = Instant.now().minusSeconds(58);
            Instant leewayEnds = Instant.ofEpochSecond(exp.getEpochSecond()).plusSeconds(60);
            try (TestClient a = TestClient.connect(server.port(), Tokens.expiringAt(user("alice"), exp))) {
                a.welcome();
                assertThat(a.awaitCloseCode()).isEqualTo(4001);
                assertThat(Instant.now()).isAfterOrEqualTo(leewayEnds.minusMillis(100));
            }
        }
    }

    // ---- isolation -------------------------------------------------------------------------

    @Test
    void given_clients_sending_every_kind_of_bad_input_when_it_is_refused_then_the_others_connections_are_untouched() {
        try (RunningServer server = E2E.start("--rate-per-second", "1000", "--rate-burst", "1000")) {
            int port = server.port();
            String victim = user("victim");
            String room = room("shared");
            try (TestClient v = TestClient.connect(port, Tokens.of(victim));
                 TestClient b = TestClient.connect(port, Tokens.of(user("bystander")))) {
                v.join(room);
                b.join(room);

                // Garbage that is answered with errors, from a tab of the same user and from another.
                for (String attacker : List.of(victim, user("mallory"))) {
                    try (TestClient m = TestClient.connect(port, Tokens.of(attacker))) {
                        m.join(room);
                        for (String frame : List.of("{oops", "[]", "{\"type\":\"dance\",\"id\":\"d\"}",
                                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"" + room + "\",\"text\":5}}",
                                "{\"type\":\"chat\",\"id\":\"c2\",\"payload\":{\"room\":\"" + room + "\",\"text\":\"\\ud800\"}}",
                                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"private:x\"}}",
                                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"" + room + "\",\"limit\":1000}}")) {
                            m.sendRaw(frame);
                        }
                        await().atMost(Duration.ofSeconds(15)).until(() -> m.received("error").size() == 7);
                        // and then enough to be closed for abuse
                        for (int i = 0; i < 20; i++) {
                            m.sendRaw("{\"type\":\"nope\"}");
                        }
                        assertThat(m.awaitCloseCode()).isEqualTo(1008);
                    }
                }
                // Frames that close the sender's connection.
                try (TestClient m = TestClient.connect(port, Tokens.of(victim))) {
                    m.welcome();
                    m.sendBinary(new byte[] {1, 2, 3});
                    assertThat(m.awaitCloseCode()).isEqualTo(1003);
                }
                try (TestClient m = TestClient.connect(port, Tokens.of(user("mallory")))) {
                    m.welcome();
                    m.trySend("x".repeat(70 * 1024));
                    // 1006 when the server's reset overtakes its close frame (see the 64 KiB test).
                    assertThat(m.awaitCloseCode()).isIn(1009, TestClient.NO_CLOSE_FRAME);
                }
                try (RawWebSocket m = RawWebSocket.open(port, "token=" + Tokens.of(user("mallory")))) {
                    m.read();
                    // A frame that announces 1000 bytes and brings 10, then the socket is gone.
                    m.sendRaw(new byte[] {(byte) 0x81, (byte) (0x80 | 126), 0x03, (byte) 0xE8, 1, 2, 3, 4,
                        'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'});
                }

                assertThat(v.isOpen()).isTrue();
                assertThat(b.isOpen()).isTrue();
                JsonNode ack = v.chat(room, "still here");
                b.awaitSeq(room, ack.get("seq").asLong());
                v.awaitSeq(room, ack.get("seq").asLong());
                assertThat(b.request("ping", Map.of()).get("type").asText()).isEqualTo("pong");
                assertThat(v.received("error")).isEmpty();
                assertThat(b.received("error")).isEmpty();
                await().atMost(Duration.ofSeconds(15))
                        .until(() -> v.ack("presence", Map.of("room", room)).get("members").size() == 2);
            }
        }
    }
}
