package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The client's requests and events against the real server. */
class ParleyClientTest {
    private static TestServer server;
    private final List<ParleyClient> clients = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ParleyClient::close);
    }

    private ParleyClient connected(String user, Recorder recorder) throws Exception {
        ParleyClient client = ParleyClient.builder(server.ws()).devUser(user, "User " + user).listener(recorder).build();
        clients.add(client);
        client.connect().get(20, TimeUnit.SECONDS);
        return client;
    }

    private static ParleyException failure(CompletableFuture<?> future) {
        ExecutionException e = Assertions.catchThrowableOfType(() -> future.get(20, TimeUnit.SECONDS),
                ExecutionException.class);
        assertThat(e).as("the future failed").isNotNull();
        return (ParleyException) e.getCause();
    }

    @Test
    void given_two_members_when_one_chats_with_data_then_both_hear_it_and_the_sender_gets_the_ack() throws Exception {
        Recorder dan = new Recorder();
        Recorder eve = new Recorder();
        ParleyClient danClient = connected("dan", dan);
        ParleyClient eveClient = connected("eve", eve);
        danClient.join("chat-data").get(20, TimeUnit.SECONDS);
        eveClient.join("chat-data").get(20, TimeUnit.SECONDS);
        ObjectNode data = new ObjectMapper().createObjectNode().put("kind", "greeting");

        ChatAck ack = danClient.send("chat-data", "  hello  ", data, "my-id-1").get(20, TimeUnit.SECONDS);
        ChatAck again = danClient.send("chat-data", "hello", null, "my-id-1").get(20, TimeUnit.SECONDS);

        assertThat(ack).isEqualTo(new ChatAck("chat-data", "my-id-1", 1, false));
        assertThat(again.duplicate()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> eve.chats.size() == 1 && dan.chats.size() == 1);
        Message heard = eve.chats.get(0);
        assertThat(heard.text()).isEqualTo("hello");
        assertThat(heard.from().id().value()).isEqualTo("dan");
        assertThat(heard.from().name()).isEqualTo("User dan");
        assertThat(heard.data().orElseThrow().get("kind").asText()).isEqualTo("greeting");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> eve.chats.size() == 1);
    }

    @Test
    void given_two_members_when_one_types_and_another_joins_and_leaves_then_typing_and_presence_are_heard()
            throws Exception {
        Recorder fay = new Recorder();
        Recorder gus = new Recorder();
        ParleyClient fayClient = connected("fay", fay);
        ParleyClient gusClient = connected("gus", gus);
        JoinResult fayJoin = fayClient.join("presence-room").get(20, TimeUnit.SECONDS);
        assertThat(fayJoin.presence()).extracting(u -> u.id().value()).containsExactly("fay");
        JoinResult gusJoin = gusClient.join("presence-room").get(20, TimeUnit.SECONDS);
        assertThat(gusJoin.presence()).extracting(u -> u.id().value()).containsExactlyInAnyOrder("fay", "gus");
        await().atMost(Duration.ofSeconds(20)).until(() -> fay.members("presence-room").equals(List.of("fay", "gus")));

        gusClient.typing("presence-room", true);
        await().atMost(Duration.ofSeconds(20)).until(() -> !fay.typing.isEmpty());
        assertThat(fay.typing.get(0)).satisfies(t -> {
            assertThat(t.user().id().value()).isEqualTo("gus");
            assertThat(t.active()).isTrue();
        });
        assertThat(fayClient.presence("presence-room").get(20, TimeUnit.SECONDS))
                .extracting(u -> u.id().value()).containsExactlyInAnyOrder("fay", "gus");

        gusClient.leave("presence-room").get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> fay.members("presence-room").equals(List.of("fay")));
        assertThat(fay.presence.get(fay.presence.size() - 1).kind()).isEqualTo(PresenceEvent.Kind.LEAVE);
        assertThat(fayClient.members("presence-room")).extracting(u -> u.id().value()).containsExactly("fay");
    }

    @Test
    void given_a_room_with_history_when_paging_back_then_pages_come_in_order_with_has_more() throws Exception {
        Recorder hal = new Recorder();
        ParleyClient client = connected("hal", hal);
        client.join("history-room").get(20, TimeUnit.SECONDS);
        List<CompletableFuture<ChatAck>> sent = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sent.add(client.send("history-room", "m" + i));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        HistoryPage newest = client.history("history-room", HistoryRequest.latest(2)).get(20, TimeUnit.SECONDS);
        HistoryPage older = client.history("history-room", HistoryRequest.before(4, 10)).get(20, TimeUnit.SECONDS);
        HistoryPage after = client.history("history-room", HistoryRequest.after(1, 2)).get(20, TimeUnit.SECONDS);

        assertThat(newest.messages()).extracting(Message::text).containsExactly("m4", "m5");
        assertThat(newest.hasMore()).isTrue();
        assertThat(older.messages()).extracting(Message::text).containsExactly("m1", "m2", "m3");
        assertThat(older.hasMore()).isFalse();
        assertThat(after.messages()).extracting(Message::seq).containsExactly(2L, 3L);
        assertThat(client.position("history-room").orElseThrow().seq()).isEqualTo(5);
    }

    @Test
    void given_an_offline_client_when_the_outbox_is_full_then_the_next_chat_fails_at_once() {
        ParleyClient offline = ParleyClient.builder(URI.create("ws://127.0.0.1:9/ws")).outboxCapacity(2).build();
        clients.add(offline);
        CompletableFuture<ChatAck> first = offline.send("lobby", "one");
        CompletableFuture<ChatAck> second = offline.send("lobby", "two");

        CompletableFuture<ChatAck> third = offline.send("lobby", "three");

        assertThat(failure(third).code()).isEqualTo("outbox_full");
        assertThat(offline.outboxSize()).isEqualTo(2);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        offline.close();
        assertThat(failure(first).code()).isEqualTo("closed");
    }

    @Test
    void given_a_chat_whose_frame_is_over_64_kib_when_sent_then_it_fails_at_once_and_the_connection_stays_up()
            throws Exception {
        Recorder ivy = new Recorder();
        ParleyClient client = connected("ivy", ivy);
        client.join("huge").get(20, TimeUnit.SECONDS);

        ParleyException huge = failure(client.send("huge", "x".repeat(70_000)));
        ChatAck after = client.send("huge", "still here").get(20, TimeUnit.SECONDS);

        assertThat(huge.code()).isEqualTo("too_large");
        assertThat(after.seq()).isEqualTo(1);
        assertThat(client.outboxSize()).isZero();
        assertThat(ivy.count(ConnectionState.RECONNECTING)).as("no 1009 close, no reconnect").isZero();
    }

    @Test
    void given_a_chat_the_server_refuses_for_good_when_it_answers_then_the_future_fails_and_the_outbox_lets_go()
            throws Exception {
        Recorder ivy = new Recorder();
        ParleyClient client = connected("ivy", ivy);
        client.join("refusals").get(20, TimeUnit.SECONDS);

        ParleyException tooLong = failure(client.send("refusals", "x".repeat(4001)));
        ParleyException blank = failure(client.send("refusals", "   "));

        assertThat(tooLong.code()).isEqualTo("too_large");
        assertThat(blank.code()).isEqualTo("bad_request");
        assertThat(client.outboxSize()).isZero();
        assertThat(failure(client.join("user:someone-else")).code()).isEqualTo("forbidden");
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void given_many_threads_when_they_send_at_once_then_every_chat_is_acked_once_in_a_gap_free_sequence()
            throws Exception {
        Recorder joe = new Recorder();
        ParleyClient client = connected("joe", joe);
        client.join("threads").get(20, TimeUnit.SECONDS);
        List<CompletableFuture<ChatAck>> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    acks.add(client.send("threads", "t" + thread + "-" + i));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(20_000);
        }

        List<Long> seqs = new ArrayList<>();
        for (CompletableFuture<ChatAck> ack : acks) {
            seqs.add(ack.get(20, TimeUnit.SECONDS).seq());
        }
        assertThat(seqs).hasSize(20).doesNotHaveDuplicates().allMatch(s -> s >= 1 && s <= 20);
        await().atMost(Duration.ofSeconds(20)).until(() -> joe.chats.size() == 20);
        assertThat(joe.chats.stream().map(Message::seq).collect(Collectors.toList()))
                .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates();
    }

    @Test
    void given_a_burst_past_the_rate_limit_when_chats_are_refused_with_rate_limited_then_the_outbox_retries_them_until_acked()
            throws Exception {
        Recorder kit = new Recorder();
        ParleyClient client = connected("kit", kit);
        client.join("burst").get(20, TimeUnit.SECONDS);
        List<CompletableFuture<ChatAck>> acks = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            acks.add(client.send("burst", "burst " + i));
        }

        List<Long> seqs = new ArrayList<>();
        for (CompletableFuture<ChatAck> ack : acks) {
            seqs.add(ack.get(30, TimeUnit.SECONDS).seq());
        }

        assertThat(seqs).doesNotHaveDuplicates().hasSize(70);
        assertThat(client.outboxSize()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> kit.chats.size() == 70);
        assertThat(kit.errors).isEmpty();
    }
}
