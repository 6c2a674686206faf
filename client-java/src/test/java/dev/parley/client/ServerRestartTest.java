package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.domain.Backoff;
import dev.parley.domain.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/protocol.md section 9 against the real server: a restart mid-conversation loses nothing and repeats nothing. */
class ServerRestartTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1));
    private static final String ROOM = "lobby";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ParleyClient client(TestServer server, String user, Recorder recorder) {
        ParleyClient client = ParleyClient.builder(server.ws()).devUser(user, user.toUpperCase())
                .backoff(FAST).listener(recorder).build();
        toClose.add(client);
        return client;
    }

    @Test
    void given_two_clients_chatting_when_the_server_restarts_and_both_send_during_the_outage_then_each_sees_every_message_once()
            throws Exception {
        TestServer server = TestServer.start();
        toClose.add(server);
        Recorder aliceHears = new Recorder();
        Recorder bobHears = new Recorder();
        ParleyClient alice = client(server, "alice", aliceHears);
        ParleyClient bob = client(server, "bob", bobHears);
        alice.connect().get(20, TimeUnit.SECONDS);
        bob.connect().get(20, TimeUnit.SECONDS);
        alice.join(ROOM).get(20, TimeUnit.SECONDS);
        bob.join(ROOM).get(20, TimeUnit.SECONDS);

        List<CompletableFuture<ChatAck>> before = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            before.add(alice.send(ROOM, "a" + i));
            before.add(bob.send(ROOM, "b" + i));
        }
        CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> aliceHears.chats.size() == 10 && bobHears.chats.size() == 10);
        StreamPosition beforeRestart = alice.position(ROOM).orElseThrow();

        server.stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> alice.state() == ConnectionState.RECONNECTING
                && bob.state() == ConnectionState.RECONNECTING);
        List<CompletableFuture<ChatAck>> during = new ArrayList<>();
        for (int i = 6; i <= 8; i++) {
            during.add(alice.send(ROOM, "a" + i));
            during.add(bob.send(ROOM, "b" + i));
        }
        assertThat(alice.outboxSize()).isEqualTo(3);
        assertThat(bob.outboxSize()).isEqualTo(3);
        assertThat(during).noneMatch(CompletableFuture::isDone);

        server.startAgain();
        List<ChatAck> acks = new ArrayList<>();
        for (CompletableFuture<ChatAck> ack : during) {
            acks.add(ack.get(20, TimeUnit.SECONDS));
        }

        List<String> all = IntStream.rangeClosed(1, 8).boxed()
                .flatMap(i -> List.of("a" + i, "b" + i).stream()).collect(Collectors.toList());
        await().atMost(Duration.ofSeconds(20)).until(() -> aliceHears.chats.size() >= 16 && bobHears.chats.size() >= 16);
        // Nothing late either: a duplicate would arrive just after the 16th.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> aliceHears.chats.size() == 16 && bobHears.chats.size() == 16);
        for (Recorder heard : List.of(aliceHears, bobHears)) {
            assertThat(heard.texts()).containsExactlyInAnyOrderElementsOf(all);
            // the first ten in the old epoch's order, the outage's six in the new epoch's order
            assertThat(heard.chats.subList(10, 16)).isSortedAccordingTo((x, y) -> Long.compare(x.seq(), y.seq()));
        }
        assertThat(acks).extracting(ChatAck::seq).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(alice.outboxSize()).isZero();
        assertThat(alice.position(ROOM).orElseThrow().epoch()).isNotEqualTo(beforeRestart.epoch());
        assertThat(alice.position(ROOM).orElseThrow().seq()).isEqualTo(6);
    }

    @Test
    void given_a_client_that_missed_messages_in_a_new_epoch_when_it_rejoins_then_it_loads_them_from_history_once()
            throws Exception {
        TestServer server = TestServer.start();
        toClose.add(server);
        Recorder aliceHears = new Recorder();
        Recorder bobHears = new Recorder();
        // The longest wait full jitter allows, so that alice is away while bob talks.
        ParleyClient alice = ParleyClient.builder(server.ws()).devUser("alice", "Alice").listener(aliceHears)
                .backoff(new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofSeconds(5))).random(new WorstJitter())
                .build();
        toClose.add(alice);
        alice.connect().get(20, TimeUnit.SECONDS);
        alice.join(ROOM).get(20, TimeUnit.SECONDS);
        alice.send(ROOM, "before the restart").get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> aliceHears.chats.size() == 1);

        server.stop();
        server.startAgain();
        // bob talks on the new server before alice is back
        ParleyClient bob = client(server, "bob", bobHears);
        bob.connect().get(20, TimeUnit.SECONDS);
        bob.join(ROOM).get(20, TimeUnit.SECONDS);
        for (int i = 1; i <= 3; i++) {
            bob.send(ROOM, "new epoch " + i).get(20, TimeUnit.SECONDS);
        }
        assertThat(alice.state()).as("alice still away: she must reload these from history")
                .isEqualTo(ConnectionState.RECONNECTING);

        await().atMost(Duration.ofSeconds(20)).until(() -> aliceHears.chats.size() >= 4);
        bob.send(ROOM, "live after her rejoin").get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> aliceHears.chats.size() >= 5);
        assertThat(aliceHears.texts()).containsExactly("before the restart", "new epoch 1", "new epoch 2",
                "new epoch 3", "live after her rejoin");
    }

    @Test
    void given_a_reload_refused_as_rate_limited_when_the_client_rejoins_then_it_tries_again_and_loses_nothing()
            throws Exception {
        // One frame a second, none saved up: the rejoin takes the only token, so the reload's
        // first history request is answered rate_limited.
        TestServer server = TestServer.start("--rate-per-second", "1", "--rate-burst", "1");
        toClose.add(server);
        Recorder aliceHears = new Recorder();
        ParleyClient alice = ParleyClient.builder(server.ws()).devUser("alice", "Alice").listener(aliceHears)
                .backoff(new Backoff(Duration.ofSeconds(5), 2.0, Duration.ofSeconds(5))).random(new WorstJitter())
                .build();
        toClose.add(alice);
        alice.connect().get(20, TimeUnit.SECONDS);
        alice.join(ROOM).get(20, TimeUnit.SECONDS);

        server.stop();
        server.startAgain();
        Recorder bobHears = new Recorder();
        ParleyClient bob = client(server, "bob", bobHears);
        bob.connect().get(20, TimeUnit.SECONDS);
        bob.join(ROOM).get(20, TimeUnit.SECONDS);
        for (int i = 1; i <= 3; i++) {
            bob.send(ROOM, "missed " + i).get(20, TimeUnit.SECONDS);
        }
        assertThat(alice.state()).isEqualTo(ConnectionState.RECONNECTING);

        await().atMost(Duration.ofSeconds(30)).until(() -> aliceHears.chats.size() >= 3);
        assertThat(aliceHears.texts()).containsExactly("missed 1", "missed 2", "missed 3");
        assertThat(alice.position(ROOM).orElseThrow().seq()).isEqualTo(3);
    }

    /** Full jitter at its ceiling: every wait is the longest allowed. */
    static final class WorstJitter implements java.util.random.RandomGenerator {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }
}
