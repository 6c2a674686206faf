package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.testing.TcpProxy;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** What the Redis fan-out does beyond the contract: reconnecting, local delivery, outages. */
class RedisFanOutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final User ALICE = new User(UserId.of("alice"), "Alice");

    private final String prefix = TestRedis.uniquePrefix("fanout");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        // Nothing opened: the test was skipped (no Redis) before it wrote any key.
        if (!opened.isEmpty()) {
            TestRedis.deleteKeys(prefix);
        }
    }

    @Test
    void given_subscribed_room_when_subscriber_connection_is_killed_then_it_reconnects_and_the_room_catches_up() {
        RedisFanOut a = node("a");
        RedisFanOut b = node("b");
        RoomName room = room();
        Recorder heard = new Recorder();
        a.subscribe(room, heard);
        awaitLive(a, room);
        assertThat(heard.possibleLosses()).isEqualTo(1); // told once live: catch up on what came before

        assertThat(TestRedis.killClients("parley-sub-" + nodeName("a"))).isEqualTo(1);

        await().atMost(TIMEOUT).until(() -> a.subscriberConnections() == 2 && a.isLive(room));
        await().atMost(TIMEOUT).until(() -> heard.possibleLosses() == 2);
        RoomEvent after = chat(room, 1);
        publish(b, after);
        await().atMost(TIMEOUT).until(() -> heard.events().contains(after));
    }

    @Test
    void given_listeners_on_both_nodes_when_one_node_publishes_then_its_own_listener_hears_it_once_and_skips_the_echo() {
        RedisFanOut a = node("a");
        RedisFanOut b = node("b");
        RoomName room = room();
        Recorder onA = new Recorder();
        Recorder onB = new Recorder();
        a.subscribe(room, onA);
        b.subscribe(room, onB);
        awaitLive(a, room);
        awaitLive(b, room);
        RoomEvent typing = new RoomEvent.Typing(room, ALICE, true, ConnectionId.of("c1"));

        a.publish(typing);

        assertThat(onA.events()).containsExactly(typing); // at once, on the publishing thread
        await().atMost(TIMEOUT).until(() -> onB.events().contains(typing));
        // Redis delivers in publishing order: once a hears b's marker, it has had its own echo.
        RoomEvent marker = new RoomEvent.Typing(room, ALICE, false, ConnectionId.of("c2"));
        publish(b, marker);
        await().atMost(TIMEOUT).until(() -> onA.events().contains(marker));
        assertThat(onA.events()).containsExactly(typing, marker);
        assertThat(onB.events()).containsExactly(typing, marker);
    }

    @Test
    void given_redis_down_when_event_published_then_listeners_on_this_node_still_hear_it_and_the_publish_fails() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(TestRedis.url(), 6379).start()) {
            RedisFanOut a = node("a", proxy);
            RoomName room = room();
            Recorder heard = new Recorder();
            a.subscribe(room, heard);
            awaitLive(a, room);
            assertThat(a.healthy()).isTrue();

            proxy.stop();
            await().atMost(TIMEOUT).until(() -> !a.healthy());
            RoomEvent event = chat(room, 1);

            assertThatThrownBy(() -> a.publish(event).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThat(heard.events()).containsExactly(event);

            proxy.start();
            await().atMost(TIMEOUT).until(a::healthy);
            await().atMost(TIMEOUT).until(() -> a.isLive(room) && heard.possibleLosses() >= 2);
        }
    }

    @Test
    void given_chat_not_sent_while_redis_was_unreachable_when_redis_returns_then_the_rooms_other_nodes_are_told_to_catch_up()
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(TestRedis.url(), 6379).start()) {
            RedisFanOut a = node("a", proxy);
            RedisFanOut b = node("b");
            RoomName room = room();
            Recorder onB = new Recorder();
            b.subscribe(room, onB);
            awaitLive(b, room);
            await().atMost(TIMEOUT).until(a::healthy);
            int before = onB.possibleLosses();

            proxy.stop();
            assertThatThrownBy(() -> a.publish(chat(room, 1)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class);
            proxy.start();

            await().atMost(TIMEOUT).until(() -> onB.possibleLosses() == before + 1);
            assertThat(onB.events()).isEmpty();
        }
    }

    @Test
    void given_redis_stops_answering_when_the_subscriber_connection_stays_open_then_the_watchdog_drops_it_and_it_reconnects()
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(TestRedis.url(), 6379).start()) {
            RedisFanOut a = node("a", proxy);
            RoomName room = room();
            Recorder heard = new Recorder();
            a.subscribe(room, heard);
            awaitLive(a, room);

            proxy.freeze();
            await().atMost(TIMEOUT).until(() -> !a.healthy());
            proxy.thaw();

            await().atMost(TIMEOUT).until(() -> a.healthy() && a.isLive(room) && a.subscriberConnections() >= 2);
            assertThat(heard.possibleLosses()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void given_rooms_last_listener_leaves_when_closed_then_the_node_stops_listening_to_the_channel_and_can_listen_again() {
        RedisFanOut a = node("a");
        RoomName room = room();
        String channel = prefix + "ch:" + room.value();
        FanOut.Subscription first = a.subscribe(room, new Recorder());
        FanOut.Subscription second = a.subscribe(room, new Recorder());
        awaitLive(a, room);
        assertThat(subscribers(channel)).isEqualTo(1);

        first.close();
        assertThat(a.isLive(room)).isTrue();
        second.close();

        assertThat(a.isLive(room)).isFalse();
        await().atMost(TIMEOUT).until(() -> subscribers(channel) == 0);
        a.subscribe(room, new Recorder());
        awaitLive(a, room);
        assertThat(subscribers(channel)).isEqualTo(1);
    }

    @Test
    void given_garbage_on_a_room_channel_when_received_then_ignored_and_later_events_still_heard() {
        RedisFanOut a = node("a");
        RedisFanOut b = node("b");
        RoomName room = room();
        Recorder heard = new Recorder();
        a.subscribe(room, heard);
        awaitLive(a, room);
        try (Jedis jedis = TestRedis.connect()) {
            jedis.publish(prefix + "ch:" + room.value(), "{not an event");
        }
        RoomEvent event = chat(room, 1);

        publish(b, event);

        await().atMost(TIMEOUT).until(() -> heard.events().contains(event));
        assertThat(heard.events()).containsExactly(event);
    }

    @Test
    void given_closed_fan_out_when_published_then_the_future_fails() {
        RedisFanOut a = node("a");
        a.close();

        assertThatThrownBy(() -> a.publish(chat(room(), 1)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private String nodeName(String label) {
        return label + "-" + run;
    }

    private RedisFanOut node(String label) {
        return open(TestRedis.settings(prefix, nodeName(label)));
    }

    private RedisFanOut node(String label, TcpProxy proxy) {
        return open(TestRedis.settings(prefix, nodeName(label)).withUri(URI.create(proxy.redirect(TestRedis.url()))));
    }

    private RedisFanOut open(RedisSettings settings) {
        RedisFanOut fanOut = new RedisFanOut(settings).start();
        opened.add(fanOut);
        return fanOut;
    }

    private static void awaitLive(RedisFanOut node, RoomName room) {
        await().atMost(TIMEOUT).until(() -> node.isLive(room));
    }

    private static void publish(FanOut node, RoomEvent event) {
        try {
            node.publish(event).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("publishing " + event + " failed", e);
        }
    }

    private static long subscribers(String channel) {
        try (Jedis jedis = TestRedis.connect()) {
            return jedis.pubsubNumSub(channel).get(channel);
        }
    }

    private static RoomName room() {
        return RoomName.of("fanout-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    private static RoomEvent chat(RoomName room, long seq) {
        return new RoomEvent.Posted(new ChatMessage(room, seq, RequestId.of("id-" + seq), ALICE,
                new MessageText("message " + seq), Optional.empty(), 1_732_500_000_000L + seq));
    }
}
