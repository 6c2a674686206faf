package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.room;
import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md section 3 ({@code join_room} with {@code since}) and guarantees 3 and 4:
 * recovery by replay, its refusals, replay under concurrent publishing, and idempotent chat.
 */
class RecoveryE2ETest {
    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = E2E.start("--rate-per-second", "10000", "--rate-burst", "10000");
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

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Posts {@code count} messages and waits for their acks; returns the last seq. */
    private static long post(TestClient client, String room, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(client.send("chat", client.nextId(), Map.of("room", room, "text", "m" + i)));
        }
        long last = 0;
        for (String id : ids) {
            JsonNode ack = client.reply(id);
            assertThat(TestClient.type(ack)).as("%s", ack).isEqualTo("ack");
            last = ack.get("payload").get("seq").asLong();
        }
        return last;
    }

    @Test
    void given_a_position_in_the_rooms_epoch_when_rejoining_with_since_then_recovered_and_exactly_the_missed_messages_then_live() {
        String alice = user("alice");
        String room = room("recover");
        try (TestClient bob = connect(user("bob"))) {
            bob.join(room);
            String epoch;
            long seen;
            try (TestClient first = connect(alice)) {
                epoch = first.join(room).get("epoch").asText();
                post(bob, room, 3);
                first.awaitSeq(room, 3);
                seen = first.chatSeqs(room).get(first.chatSeqs(room).size() - 1);
            }
            assertThat(seen).isEqualTo(3);
            post(bob, room, 4);

            try (TestClient again = connect(alice)) {
                JsonNode ack = again.joinSince(room, seen, epoch);
                assertThat(ack.get("recovered").asBoolean()).isTrue();
                assertThat(ack.get("replay").asInt()).isEqualTo(4);
                assertThat(ack.get("seq").asLong()).isEqualTo(7);
                assertThat(ack.get("epoch").asText()).isEqualTo(epoch);
                again.awaitSeq(room, 7);
                bob.chat(room, "live");
                again.awaitSeq(room, 8);

                assertThat(again.chatSeqs(room)).containsExactlyElementsOf(range(4, 8));
                List<JsonNode> frames = again.received();
                int ackAt = indexOf(frames, f -> TestClient.type(f).equals("ack")
                        && f.get("payload").has("recovered"));
                int firstReplayed = indexOf(frames, f -> TestClient.type(f).equals("chat"));
                assertThat(ackAt).isLessThan(firstReplayed);
                List<JsonNode> replayed = again.received("chat");
                assertThat(replayed.get(0).get("payload").get("text").asText()).isEqualTo("m0");
                assertThat(replayed.get(0).get("payload").get("from").get("id").asText()).isNotEqualTo(alice);
                assertThat(replayed.get(4).get("payload").get("text").asText()).isEqualTo("live");
            }
        }
    }

    private static int indexOf(List<JsonNode> frames, java.util.function.Predicate<JsonNode> matching) {
        for (int i = 0; i < frames.size(); i++) {
            if (matching.test(frames.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such frame in " + frames);
    }

    @Test
    void given_a_position_at_the_latest_seq_when_rejoining_then_recovered_with_nothing_to_replay() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("uptodate");
            String epoch = a.join(room).get("epoch").asText();
            long last = post(a, room, 2);
            a.leave(room);
            JsonNode ack = a.joinSince(room, last, epoch);
            assertThat(ack.get("recovered").asBoolean()).isTrue();
            assertThat(ack.get("replay").asInt()).isZero();

            JsonNode fromZero = a.joinSince(room, 0, epoch);
            assertThat(fromZero.get("recovered").asBoolean()).isTrue();
            assertThat(fromZero.get("replay").asInt()).isEqualTo(2);
        }
    }

    @Test
    void given_another_epoch_when_rejoining_with_since_then_not_recovered_no_replay_and_live_messages_only() {
        try (TestClient a = connect(user("alice")); TestClient b = connect(user("bob"))) {
            String room = room("epochs");
            String epoch = b.join(room).get("epoch").asText();
            post(b, room, 5);

            JsonNode ack = a.joinSince(room, 2, epoch + "x");
            assertThat(ack.get("recovered").asBoolean(true)).isFalse();
            assertThat(ack.get("replay").asInt()).isZero();
            assertThat(ack.get("seq").asLong()).isEqualTo(5);
            assertThat(ack.get("epoch").asText()).isEqualTo(epoch);

            b.chat(room, "live");
            a.awaitSeq(room, 6);
            assertThat(a.chatSeqs(room)).containsExactly(6L);
        }
    }

    @Test
    void given_a_position_beyond_the_latest_seq_when_rejoining_then_not_recovered() {
        try (TestClient a = connect(user("alice"))) {
            String room = room("future");
            String epoch = a.join(room).get("epoch").asText();
            post(a, room, 2);
            a.leave(room);
            JsonNode ack = a.joinSince(room, 10, epoch);
            assertThat(ack.get("recovered").asBoolean(true)).isFalse();
            assertThat(ack.get("replay").asInt()).isZero();
        }
    }

    @Test
    void given_history_retention_5_when_the_missed_messages_are_no_longer_all_retained_then_not_recovered() {
        try (RunningServer small = E2E.start("--history-retention", "5", "--rate-per-second", "1000",
                "--rate-burst", "1000");
             TestClient a = TestClient.connect(small.port(), Tokens.of(user("alice")));
             TestClient b = TestClient.connect(small.port(), Tokens.of(user("bob")))) {
            String room = room("retention");
            String epoch = b.join(room).get("epoch").asText();
            post(b, room, 10);

            // 6..10 are retained: from 5 everything missed is there.
            JsonNode boundary = a.joinSince(room, 5, epoch);
            assertThat(boundary.get("recovered").asBoolean()).isTrue();
            assertThat(boundary.get("replay").asInt()).isEqualTo(5);
            a.awaitSeq(room, 10);
            assertThat(a.chatSeqs(room)).containsExactlyElementsOf(range(6, 10));
            a.leave(room);

            for (long since : List.of(4L, 2L, 0L)) {
                JsonNode ack = a.joinSince(room, since, epoch);
                assertThat(ack.get("recovered").asBoolean(true)).as("since %d", since).isFalse();
                assertThat(ack.get("replay").asInt()).as("since %d", since).isZero();
                assertThat(ack.get("seq").asLong()).isEqualTo(10);
                a.leave(room);
            }
            b.chat(room, "live");
            a.join(room);
            assertThat(a.chatSeqs(room)).containsExactlyElementsOf(range(6, 10));
            // The client reloads with history: what is retained is the newest five.
            JsonNode page = a.ack("history", Map.of("room", room));
            List<Long> seqs = new ArrayList<>();
            page.get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
            assertThat(seqs).containsExactlyElementsOf(range(7, 11));
        }
    }

    @Test
    void given_history_max_age_1s_when_messages_grow_older_then_history_and_recovery_no_longer_offer_them() {
        try (RunningServer aging = E2E.start("--history-max-age", "1s");
             TestClient a = TestClient.connect(aging.port(), Tokens.of(user("alice")));
             TestClient b = TestClient.connect(aging.port(), Tokens.of(user("bob")))) {
            String room = room("max-age");
            String epoch = b.join(room).get("epoch").asText();
            post(b, room, 3);
            assertThat(a.ack("history", Map.of("room", room)).get("messages")).hasSize(3);

            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> a.ack("history", Map.of("room", room)).get("messages").isEmpty());

            JsonNode ack = a.joinSince(room, 0, epoch);
            assertThat(ack.get("recovered").asBoolean(true)).isFalse();
            assertThat(ack.get("seq").asLong()).isEqualTo(3);
            assertThat(b.chat(room, "fresh").get("seq").asLong()).isEqualTo(4);
        }
    }

    @Test
    void given_messages_published_while_the_replay_runs_when_recovering_then_none_is_lost_or_repeated()
            throws Exception {
        for (int round = 0; round < 5; round++) {
            String room = room("race");
            try (TestClient publisher = connect(user("pub")); TestClient reader = connect(user("reader"))) {
                String epoch = publisher.join(room).get("epoch").asText();
                long since = post(publisher, room, 150) - 100 + round * 10;
                int more = 300;
                CountDownLatch started = new CountDownLatch(1);
                CompletableFuture<List<String>> published = CompletableFuture.supplyAsync(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < more; i++) {
                        ids.add(publisher.send("chat", publisher.nextId(), Map.of("room", room, "text", "c" + i)));
                        if (i == 20) {
                            started.countDown();
                        }
                    }
                    return ids;
                });
                assertThat(started.await(15, TimeUnit.SECONDS)).isTrue();

                JsonNode ack = reader.joinSince(room, since, epoch);

                assertThat(ack.get("recovered").asBoolean()).isTrue();
                long ackSeq = ack.get("seq").asLong();
                assertThat(ack.get("replay").asLong()).isEqualTo(ackSeq - since);
                List<String> ids = published.get(20, TimeUnit.SECONDS);
                long last = 0;
                for (String id : ids) {
                    last = Math.max(last, publisher.reply(id).get("payload").get("seq").asLong());
                }
                assertThat(last).isEqualTo(150 + more);
                reader.awaitSeq(room, last);
                assertThat(reader.chatSeqs(room)).as("round %d, since %d, ack seq %d", round, since, ackSeq)
                        .containsExactlyElementsOf(range(since + 1, last));
            }
        }
    }

    @Test
    void given_a_chat_resent_with_the_same_id_when_acknowledged_then_same_seq_duplicate_true_and_delivered_once() {
        String alice = user("alice");
        try (TestClient a = connect(alice); TestClient b = connect(user("bob"))) {
            String room = room("dup");
            a.join(room);
            b.join(room);
            a.send("chat", "same-id", Map.of("room", room, "text", "first"));
            JsonNode first = a.reply("same-id").get("payload");
            a.send("chat", "same-id", Map.of("room", room, "text", "second try"));
            JsonNode repeat = a.reply("same-id").get("payload");

            assertThat(first.get("duplicate").asBoolean(true)).isFalse();
            assertThat(repeat.get("duplicate").asBoolean()).isTrue();
            assertThat(repeat.get("seq").asLong()).isEqualTo(first.get("seq").asLong());
            assertThat(repeat.get("room").asText()).isEqualTo(room);

            // A marker after the repeat: delivery is in order, so a second copy would be in by then.
            a.chat(room, "marker");
            for (TestClient member : List.of(a, b)) {
                member.awaitSeq(room, 2);
                assertThat(member.chatSeqs(room)).containsExactly(1L, 2L);
                assertThat(member.received("chat").get(0).get("payload").get("text").asText()).isEqualTo("first");
            }
            assertThat(a.ack("history", Map.of("room", room)).get("messages").size()).isEqualTo(2);
        }
    }

    @Test
    void given_a_chat_resent_after_a_reconnect_when_acknowledged_then_it_is_recognised_as_a_duplicate() {
        String alice = user("alice");
        String room = room("outbox");
        long seq;
        try (TestClient a = connect(alice)) {
            a.join(room);
            a.send("chat", "outbox-1", Map.of("room", room, "text", "sent before the drop"));
            seq = a.reply("outbox-1").get("payload").get("seq").asLong();
        }
        try (TestClient again = connect(alice); TestClient watcher = connect(user("bob"))) {
            again.join(room);
            watcher.join(room);
            again.send("chat", "outbox-1", Map.of("room", room, "text", "sent before the drop"));
            JsonNode repeat = again.reply("outbox-1").get("payload");
            assertThat(repeat.get("seq").asLong()).isEqualTo(seq);
            assertThat(repeat.get("duplicate").asBoolean()).isTrue();
            again.chat(room, "marker");
            watcher.awaitSeq(room, seq + 1);
            assertThat(watcher.chatSeqs(room)).containsExactly(seq + 1);
        }
    }

    @Test
    void given_the_same_id_from_two_users_when_chatting_then_these_are_two_messages() {
        try (TestClient a = connect(user("alice")); TestClient b = connect(user("bob"))) {
            String room = room("ids-per-user");
            a.join(room);
            b.join(room);
            a.send("chat", "shared-id", Map.of("room", room, "text", "from alice"));
            JsonNode first = a.reply("shared-id").get("payload");
            b.send("chat", "shared-id", Map.of("room", room, "text", "from bob"));
            JsonNode second = b.reply("shared-id").get("payload");
            assertThat(first.get("duplicate").asBoolean(true)).isFalse();
            assertThat(second.get("duplicate").asBoolean(true)).isFalse();
            assertThat(second.get("seq").asLong()).isEqualTo(first.get("seq").asLong() + 1);
        }
    }
}
