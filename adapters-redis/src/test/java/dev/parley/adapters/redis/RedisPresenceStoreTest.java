package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.testing.TcpProxy;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Presence across nodes on one Redis (docs/protocol.md guarantee 5): transitions per user over all
 * nodes, the per-user limit over all nodes, dead nodes, lapsed heartbeats and Redis outages. Each
 * node has a presence TTL of 3 s (a heartbeat every second).
 */
class RedisPresenceStoreTest {
    private static final Duration TTL = Duration.ofSeconds(3);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final String prefix = TestRedis.uniquePrefix("presence");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        // Nothing opened: the test was skipped (no Redis) before it wrote any key.
        if (!nodes.isEmpty()) {
            TestRedis.deleteKeys(prefix);
        }
    }

    @Test
    void given_user_with_a_tab_on_each_node_when_the_tabs_leave_one_by_one_then_only_the_first_in_is_a_join_and_the_last_out_a_leave() {
        Node a = node("a");
        Node b = node("b");
        RoomName room = room();
        User alice = user("alice");
        ConnectionId onA = ConnectionId.random();
        ConnectionId onB = ConnectionId.random();

        assertThat(get(a.store.join(room, onA, alice))).isEqualTo(new PresenceChange.Joined(alice, 1));
        assertThat(get(b.store.join(room, onB, alice))).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(get(a.store.leave(room, onA, alice.id()))).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(get(a.store.members(room))).containsExactly(alice);
        assertThat(get(b.store.leave(room, onB, alice.id()))).isEqualTo(new PresenceChange.Left(alice, 0));
        assertThat(get(a.store.members(room))).isEmpty();
    }

    @Test
    void given_users_on_several_nodes_when_members_read_then_every_node_sees_all_in_arrival_order() {
        Node a = node("a");
        Node b = node("b");
        RoomName room = room();
        User alice = user("alice");
        User bob = user("bob");
        get(a.store.join(room, ConnectionId.random(), alice));
        get(b.store.join(room, ConnectionId.random(), bob));

        assertThat(get(a.store.members(room))).containsExactly(alice, bob);
        assertThat(get(b.store.members(room))).containsExactly(alice, bob);
    }

    @Test
    void given_limit_of_two_when_a_users_connections_arrive_on_different_nodes_then_the_limit_holds_across_nodes() {
        Node a = node("a");
        Node b = node("b");
        UserId alice = user("alice").id();
        ConnectionId first = ConnectionId.random();

        assertThat(get(a.store.admitConnection(alice, first, 2))).isTrue();
        assertThat(get(b.store.admitConnection(alice, ConnectionId.random(), 2))).isTrue();
        assertThat(get(a.store.admitConnection(alice, ConnectionId.random(), 2))).isFalse();
        assertThat(get(b.store.admitConnection(alice, ConnectionId.random(), 2))).isFalse();

        get(a.store.releaseConnection(alice, first));
        assertThat(get(b.store.admitConnection(alice, ConnectionId.random(), 2))).isTrue();
    }

    @Test
    void given_a_node_that_dies_without_cleanup_when_its_heartbeat_expires_then_the_others_send_one_leave_per_user_and_no_ghost_remains() {
        Node a = node("a");
        Node b = node("b");
        Node dying = node("dying");
        RoomName room = room();
        Recorder onA = a.listen(room);
        Recorder onB = b.listen(room);
        User zed = user("zed");
        User both = user("both");
        get(dying.store.admitConnection(zed.id(), ConnectionId.random(), 1));
        ConnectionId zedFirst = ConnectionId.random();
        ConnectionId zedSecond = ConnectionId.random();
        get(dying.store.join(room, zedFirst, zed));
        get(dying.store.join(room, zedSecond, zed));
        get(dying.store.join(room, ConnectionId.random(), both));
        get(a.store.join(room, ConnectionId.random(), both));
        assertThat(get(a.store.admitConnection(zed.id(), ConnectionId.random(), 1))).isFalse();

        long diedAt = System.nanoTime();
        dying.crash();

        await().atMost(TTL.plusSeconds(5)).until(() -> onA.presence().contains("leave " + zed.id().value())
                && onB.presence().contains("leave " + zed.id().value()));
        assertThat(Duration.ofNanos(System.nanoTime() - diedAt)).isLessThan(TTL.plusSeconds(5));
        // Once the dead node is forgotten nothing of it is left to remove: no later leave can come.
        await().atMost(TIMEOUT).until(() -> !isKnownNode(dying.name));
        awaitMarkers(room, List.of(a, b), List.of(onA, onB));
        assertThat(onA.presence()).containsExactly("leave " + zed.id().value());
        assertThat(onB.presence()).containsExactly("leave " + zed.id().value());
        assertThat(get(a.store.members(room))).containsExactly(both);
        assertThat(get(b.store.admitConnection(zed.id(), ConnectionId.random(), 1))).isTrue();
    }

    @Test
    void given_redis_down_when_connections_join_and_leave_then_the_node_answers_from_its_own_view_and_redis_catches_up_after()
            throws Exception {
        try (TcpProxy proxy = TcpProxy.to(TestRedis.url(), 6379).start()) {
            Node a = node("a", proxy);
            Node b = node("b");
            RoomName room = room();
            Recorder onB = b.listen(room);
            User carl = user("carl");
            User alice = user("alice");
            ConnectionId carlsConnection = ConnectionId.random();
            get(a.store.join(room, carlsConnection, carl));
            assertThat(get(b.store.members(room))).containsExactly(carl);

            proxy.stop();
            ConnectionId alicesConnection = ConnectionId.random();
            assertThat(get(a.store.admitConnection(alice.id(), alicesConnection, 1))).isTrue();
            assertThat(get(a.store.admitConnection(alice.id(), ConnectionId.random(), 1))).isFalse();
            assertThat(get(a.store.join(room, alicesConnection, alice))).isEqualTo(new PresenceChange.Joined(alice, 2));
            assertThat(get(a.store.leave(room, carlsConnection, carl.id()))).isEqualTo(new PresenceChange.Left(carl, 1));
            assertThat(get(a.store.members(room))).containsExactly(alice);
            assertThat(a.store.healthy()).isFalse();
            proxy.start();

            await().atMost(TIMEOUT).until(a.store::healthy);
            await().atMost(TIMEOUT).until(() -> get(b.store.members(room)).equals(List.of(alice)));
            await().atMost(TIMEOUT).until(() -> onB.presence().containsAll(
                    List.of("leave " + carl.id().value(), "join " + alice.id().value())));
            assertThat(get(b.store.admitConnection(alice.id(), ConnectionId.random(), 1))).isFalse();
        }
    }

    @Test
    void given_a_node_whose_heartbeat_lapsed_when_the_others_removed_its_entries_then_it_writes_them_back_and_announces_the_join() {
        Node a = node("a");
        Node b = node("b");
        RoomName room = room();
        Recorder onB = b.listen(room);
        User alice = user("alice");
        get(a.store.join(room, ConnectionId.random(), alice));

        String id = alice.id().value();
        CountDownLatch stall = new CountDownLatch(1);

        a.stallHeartbeat(stall); // as a long pause of the process would
        await().atMost(TIMEOUT).until(() -> onB.presence().equals(List.of("leave " + id)));
        assertThat(get(b.store.members(room))).isEmpty();
        stall.countDown();

        await().atMost(TIMEOUT).until(() -> onB.presence().equals(List.of("leave " + id, "join " + id)));
        assertThat(get(b.store.members(room))).containsExactly(alice);
    }

    @Test
    void given_a_former_run_of_the_node_left_entries_when_the_node_starts_again_then_it_removes_them_with_leave_events() {
        Node b = node("b");
        Node former = node("a");
        RoomName room = room();
        Recorder onB = b.listen(room);
        User alice = user("alice");
        get(former.store.admitConnection(alice.id(), ConnectionId.random(), 1));
        get(former.store.join(room, ConnectionId.random(), alice));
        former.crash();

        Node restarted = node("a");

        await().atMost(TIMEOUT).until(() -> onB.presence().equals(List.of("leave " + alice.id().value())));
        assertThat(get(b.store.members(room))).isEmpty();
        assertThat(get(restarted.store.admitConnection(alice.id(), ConnectionId.random(), 1))).isTrue();
    }

    @Test
    void given_a_node_closed_with_connections_still_in_when_it_stops_then_the_others_hear_their_leaves_without_waiting_for_the_ttl() {
        Duration longTtl = Duration.ofSeconds(60);
        Node a = register("a", TestRedis.settings(prefix, "a-" + run).withPresenceTtl(longTtl));
        Node b = register("b", TestRedis.settings(prefix, "b-" + run).withPresenceTtl(longTtl));
        RoomName room = room();
        Recorder onB = b.listen(room);
        User alice = user("alice");
        get(a.store.admitConnection(alice.id(), ConnectionId.random(), 1));
        get(a.store.join(room, ConnectionId.random(), alice));

        a.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.presence().equals(List.of("leave " + alice.id().value())));
        assertThat(get(b.store.members(room))).isEmpty();
        assertThat(isKnownNode(a.name)).isFalse();
        assertThat(get(b.store.admitConnection(alice.id(), ConnectionId.random(), 1))).isTrue();
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** One node: its connections, fan-out and presence store, whose heartbeat thread the test holds. */
    private final class Node {
        final String name;
        final RedisFanOut fanOut;
        final RedisPresenceStore store;
        final ScheduledExecutorService heartbeat;

        Node(String name, RedisSettings settings) {
            this.name = name;
            this.heartbeat = Executors.newSingleThreadScheduledExecutor(
                    runnable -> new Thread(runnable, "parley-redis-heartbeat-" + name));
            this.fanOut = new RedisFanOut(settings).start();
            this.store = new RedisPresenceStore(settings, fanOut, heartbeat).start();
        }

        Recorder listen(RoomName room) {
            Recorder recorder = new Recorder();
            fanOut.subscribe(room, recorder);
            await().atMost(TIMEOUT).until(() -> fanOut.isLive(room));
            return recorder;
        }

        /**
         * Dies as a killed process would: no more heartbeats, nothing taken out of Redis; the other
         * nodes remove its entries once its heartbeat key expires. The test calls it no more.
         */
        void crash() {
            heartbeat.shutdownNow();
            fanOut.close();
        }

        /** Holds the heartbeat thread until {@code released} opens: the heartbeat key expires meanwhile. */
        void stallHeartbeat(CountDownLatch released) {
            heartbeat.execute(() -> {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        void close() {
            store.close();
            fanOut.close();
        }
    }

    private Node node(String label) {
        return register(label, TestRedis.settings(prefix, label + "-" + run).withPresenceTtl(TTL));
    }

    private Node node(String label, TcpProxy proxy) {
        return register(label, TestRedis.settings(prefix, label + "-" + run).withPresenceTtl(TTL)
                .withUri(URI.create(proxy.redirect(TestRedis.url()))));
    }

    private Node register(String label, RedisSettings settings) {
        Node node = new Node(label + "-" + run, settings);
        nodes.add(node);
        await().atMost(TIMEOUT).until(node.store::registered);
        return node;
    }

    private boolean isKnownNode(String name) {
        try (Jedis jedis = TestRedis.connect()) {
            return jedis.sismember(prefix + "nodes", name);
        }
    }

    /**
     * Each node publishes a marker, and every listener waits for all of them: a node's events reach
     * Redis in publishing order, so whatever a node published before its marker has been heard.
     */
    private static void awaitMarkers(RoomName room, List<Node> publishers, List<Recorder> listeners) {
        List<RoomEvent> markers = new ArrayList<>();
        for (Node publisher : publishers) {
            RoomEvent marker = new RoomEvent.Typing(room, new User(UserId.of("marker"), "marker"), true,
                    ConnectionId.of("marker-" + publisher.name));
            markers.add(marker);
            get(publisher.fanOut.publish(marker));
        }
        for (Recorder listener : listeners) {
            await().atMost(TIMEOUT).until(() -> listener.events().containsAll(markers));
        }
    }

    private User user(String label) {
        return new User(UserId.of(label + "-" + run), label.substring(0, 1).toUpperCase() + label.substring(1));
    }

    private static RoomName room() {
        return RoomName.of("presence-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        }
    }
}
