package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.application.port.out.FanOut;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageText;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import dev.parley.testsupport.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the adapters do on a Redis Cluster beyond the contracts: a master killed and its replica
 * promoted (subscriptions move, lost presence comes back), a slot moved to another master
 * (redirections followed), dead and stalled nodes whose entries are spread over the shards. Each
 * node has a presence TTL of 3 s (a heartbeat every second).
 */
class RedisClusterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final User ALICE = new User(UserId.of("alice"), "Alice");
    /** How long presence may take to heal once the replica took over: the TTL, with room for a busy machine. */
    private static final Duration HEAL = Duration.ofSeconds(3).plusSeconds(12);

    private final String prefix = TestRedis.uniquePrefix("cluster");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        if (!nodes.isEmpty()) {
            TestCluster.deleteKeys(prefix);
        }
    }

    @Test
    void given_a_room_on_a_master_when_the_master_is_killed_and_its_replica_promoted_then_subscriptions_move_and_lost_presence_comes_back() {
        TestRedisCluster cluster = TestCluster.cluster();
        Node a = node("a");
        Node b = node("b");
        RoomName room = room();
        Recorder onA = a.listen(room);
        Recorder onB = b.listen(room);
        User bob = user("bob");
        get(b.store.join(room, ConnectionId.random(), bob));
        int master = cluster.masterOf(TestRedisCluster.slotOf(new RedisKeys(prefix, true).channel(room)));
        int replica = cluster.replicaOf(master);
        int lossesBefore = onB.possibleLosses();
        User alice = user("alice");
        CountDownLatch stall = new CountDownLatch(1);
        cluster.awaitReplicated(master);
        try {
            // The replica holds still and is cut off, so alice's join is acknowledged by the master alone
            // and lost with it, as asynchronous replication can lose it.
            cluster.freeze(replica);
            try {
                cluster.cutReplication(master);
                assertThat(get(a.store.join(room, ConnectionId.random(), alice))).isEqualTo(new PresenceChange.Joined(alice, 2));
                a.stallHeartbeat(stall); // so that the test sees the loss before a writes the entry again
                cluster.kill(master);
            } finally {
                cluster.thaw(replica);
            }
            cluster.awaitFailover(TestRedisCluster.slotOf(new RedisKeys(prefix, true).channel(room)), master);
            await().atMost(TIMEOUT).ignoreExceptions().until(() -> presentInRedis(room).equals(List.of(bob.id().value())));

            stall.countDown();
            long releasedAt = System.nanoTime();
            await().atMost(TIMEOUT).until(() -> a.fanOut.isLive(room) && b.fanOut.isLive(room));
            await().atMost(TIMEOUT).until(() -> onB.possibleLosses() > lossesBefore);
            RoomEvent after = chat(room, 1);
            publish(a.fanOut, after);
            await().atMost(TIMEOUT).until(() -> onB.events().contains(after));
            assertThat(onA.events()).contains(after);
            // Within a presence TTL of its next heartbeat, the node that wrote alice's entry writes it again.
            // In any order: when the failover outlasts the 3 s TTL, b's own heartbeat lapses too and b
            // writes bob back after alice (docs/scale-out.md: keep the TTL above the failover time).
            await().atMost(HEAL).until(() -> Set.copyOf(get(b.store.members(room))).equals(Set.of(bob, alice)));
            assertThat(Duration.ofNanos(System.nanoTime() - releasedAt)).isLessThan(HEAL);
            await().atMost(TIMEOUT).until(() -> a.healthy() && b.healthy());
        } finally {
            stall.countDown();
            cluster.restore();
        }
    }

    @Test
    void given_a_rooms_slot_moved_to_another_master_when_events_are_published_then_subscriptions_and_publishers_follow_it() {
        TestRedisCluster cluster = TestCluster.cluster();
        Node a = node("a");
        Node b = node("b");
        RoomName room = room();
        Recorder onB = b.listen(room);
        a.listen(room);
        User carl = user("carl");
        get(a.store.join(room, ConnectionId.random(), carl));
        int slot = TestRedisCluster.slotOf(new RedisKeys(prefix, true).channel(room));
        int from = cluster.masterOf(slot);
        int to = cluster.masterOf((slot + 5_461) % 16_384);
        int lossesBefore = onB.possibleLosses();

        cluster.moveSlot(slot, to);

        await().atMost(TIMEOUT).until(() -> onB.possibleLosses() > lossesBefore && b.fanOut.isLive(room));
        RoomEvent moved = chat(room, 1);
        publish(a.fanOut, moved);
        await().atMost(TIMEOUT).until(() -> onB.events().contains(moved));
        assertThat(get(b.store.members(room))).containsExactly(carl);
        assertThat(get(b.store.leave(room, ConnectionId.random(), carl.id()))).isEqualTo(new PresenceChange.Unchanged(1));
        assertThat(from).isNotEqualTo(to);
        assertThat(a.healthy() && b.healthy()).isTrue();
    }

    @Test
    void given_a_node_that_dies_with_entries_on_every_shard_when_its_heartbeat_expires_then_the_others_send_one_leave_per_user_and_forget_it() {
        Node a = node("a");
        Node dying = node("dying");
        List<RoomName> rooms = List.of(room(), room(), room(), room());
        List<Recorder> heard = new ArrayList<>();
        User zed = user("zed");
        get(dying.store.admitConnection(zed.id(), ConnectionId.random(), 1));
        for (RoomName room : rooms) {
            heard.add(a.listen(room));
            get(dying.store.join(room, ConnectionId.random(), zed));
            get(dying.store.join(room, ConnectionId.random(), zed));
        }
        assertThat(get(a.store.admitConnection(zed.id(), ConnectionId.random(), 1))).isFalse();

        dying.crash();

        for (Recorder recorder : heard) {
            await().atMost(TIMEOUT).until(() -> recorder.presence().contains("leave " + zed.id().value()));
        }
        await().atMost(TIMEOUT).until(() -> !isKnownNode(dying.name));
        for (int i = 0; i < rooms.size(); i++) {
            assertThat(heard.get(i).presence()).containsExactly("leave " + zed.id().value());
            assertThat(get(a.store.members(rooms.get(i)))).isEmpty();
        }
        assertThat(get(a.store.admitConnection(zed.id(), ConnectionId.random(), 1))).isTrue();
    }

    @Test
    void given_a_node_whose_heartbeat_lapsed_when_the_others_removed_its_entries_then_it_writes_them_back_under_a_new_run() {
        Node a = node("a");
        Node b = node("b");
        RoomName room = room();
        Recorder onB = b.listen(room);
        User alice = user("alice");
        get(a.store.admitConnection(alice.id(), ConnectionId.random(), 1));
        get(a.store.join(room, ConnectionId.random(), alice));
        String id = alice.id().value();
        CountDownLatch stall = new CountDownLatch(1);

        a.stallHeartbeat(stall);
        await().atMost(TIMEOUT).until(() -> onB.presence().equals(List.of("leave " + id)));
        assertThat(get(b.store.admitConnection(alice.id(), ConnectionId.random(), 1))).isTrue();
        stall.countDown();

        await().atMost(TIMEOUT).until(() -> onB.presence().equals(List.of("leave " + id, "join " + id)));
        assertThat(get(b.store.members(room))).containsExactly(alice);
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** One node: its fan-out and presence store on the cluster, whose heartbeat thread the test holds. */
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

        boolean healthy() {
            return fanOut.healthy() && store.healthy();
        }

        /** Dies as a killed process would: no more heartbeats, nothing taken out of Redis. */
        void crash() {
            heartbeat.shutdownNow();
            fanOut.close();
        }

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
        Node node = new Node(label + "-" + run, TestCluster.settings(prefix, label + "-" + run));
        nodes.add(node);
        await().atMost(TIMEOUT).until(node.store::registered);
        return node;
    }

    /** The users present in a room as the cluster itself holds them. */
    private List<String> presentInRedis(RoomName room) {
        try (var client = TestCluster.client()) {
            return client.zrange(new RedisKeys(prefix, true).room(room)[3], 0, -1);
        }
    }

    private boolean isKnownNode(String name) {
        try (var client = TestCluster.client()) {
            return client.sismember(prefix + "nodes", name);
        }
    }

    private User user(String label) {
        return new User(UserId.of(label + "-" + run), label.substring(0, 1).toUpperCase() + label.substring(1));
    }

    private static RoomName room() {
        return RoomName.of("cluster-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    private static void publish(FanOut node, RoomEvent event) {
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
            node.publish(event).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        });
    }

    private static RoomEvent chat(RoomName room, long seq) {
        return new RoomEvent.Posted(new ChatMessage(room, seq, RequestId.of("id-" + seq), ALICE,
                new MessageText("message " + seq), Optional.empty(), 1_732_500_000_000L + seq));
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        }
    }
}
