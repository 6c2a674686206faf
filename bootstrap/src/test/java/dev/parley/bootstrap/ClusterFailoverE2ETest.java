package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.testsupport.TestRedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on a Redis Cluster when the master that serves a room dies (SIGKILL) while members
 * on both nodes chat: its replica takes over, the room's subscriptions move to it, and every
 * acknowledged message still reaches every member once, in order (docs/protocol.md guarantees 2
 * and 4); presence is right again within the presence TTL (guarantee 5).
 */
class ClusterFailoverE2ETest {
    /** The presence TTL of the nodes, and room for a busy machine. */
    private static final Duration HEAL = ScaleOut.TTL.plusSeconds(12);
    private static final int PER_PUBLISHER = 200;

    private final ScaleOut cluster = ScaleOut.onRedisCluster();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TestClient::close);
        cluster.close();
    }

    private TestClient connect(RunningServer node, String user) {
        TestClient client = ScaleOut.connect(node, user);
        clients.add(client);
        return client;
    }

    @Test
    void given_chats_flowing_across_nodes_when_the_master_of_the_rooms_slot_is_killed_then_every_acknowledged_message_reaches_every_member_once_in_order_and_presence_is_right_after()
            throws Exception {
        TestRedisCluster redis = cluster.redisCluster();
        RunningServer a = cluster.start("a");
        RunningServer b = cluster.start("b");
        String room = E2E.room("failover");
        List<String> users = List.of(E2E.user("pa"), E2E.user("pb"), E2E.user("la"), E2E.user("lb"));
        List<TestClient> publishers = List.of(connect(a, users.get(0)), connect(b, users.get(1)));
        List<TestClient> listeners = List.of(connect(a, users.get(2)), connect(b, users.get(3)));
        List<TestClient> members = new ArrayList<>(publishers);
        members.addAll(listeners);
        for (TestClient member : members) {
            member.join(room);
        }
        await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.members(a.port(), room).size() == 4
                && ScaleOut.members(b.port(), room).size() == 4);
        int slot = TestRedisCluster.slotOf("parley:ch:{" + room + "}");
        int master = redis.masterOf(slot);

        ExecutorService senders = Executors.newFixedThreadPool(publishers.size());
        try {
            List<Future<List<Long>>> acked = new ArrayList<>();
            for (TestClient publisher : publishers) {
                acked.add(senders.submit(() -> {
                    List<Long> seqs = new ArrayList<>();
                    for (int i = 1; i <= PER_PUBLISHER; i++) {
                        seqs.add(publisher.chat(room, "message " + i).path("seq").asLong());
                        Thread.sleep(10); // a steady stream that spans the failover
                    }
                    return seqs;
                }));
            }
            await().atMost(ScaleOut.PATIENCE).until(() -> listeners.stream()
                    .allMatch(listener -> listener.chatSeqs(room).size() >= 50));
            redis.kill(master);

            List<Long> allAcked = new ArrayList<>();
            for (Future<List<Long>> seqs : acked) {
                allAcked.addAll(seqs.get(ScaleOut.PATIENCE.toMillis() * 2, TimeUnit.MILLISECONDS));
            }
            int total = PER_PUBLISHER * publishers.size();
            List<Long> expected = LongStream.rangeClosed(1, total).boxed().toList();
            assertThat(allAcked).as("chats are acknowledged once stored, whatever Redis does")
                    .containsExactlyInAnyOrderElementsOf(expected);
            redis.awaitFailover(slot, master);

            for (TestClient member : members) {
                await().atMost(ScaleOut.PATIENCE).until(() -> member.chatSeqs(room).size() >= total);
                assertThat(member.chatSeqs(room)).as("strictly increasing, gap-free, no duplicate").isEqualTo(expected);
            }
            await().atMost(HEAL).until(() -> ScaleOut.members(a.port(), room).size() == 4
                    && ScaleOut.members(b.port(), room).size() == 4);
            assertThat(ScaleOut.members(a.port(), room)).containsExactlyInAnyOrderElementsOf(users);
            assertThat(ScaleOut.members(b.port(), room)).containsExactlyInAnyOrderElementsOf(users);
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.health(a.port()).contains("\"redis\":\"UP\"")
                    && ScaleOut.health(b.port()).contains("\"redis\":\"UP\""));

            // The room's events flow on the promoted master: a newcomer on one node is heard on the other.
            String late = E2E.user("late");
            connect(b, late).join(room);
            await().atMost(ScaleOut.PATIENCE).until(() -> ScaleOut.presence(listeners.get(0), room)
                    .contains("join " + late));
        } finally {
            senders.shutdownNow();
            redis.restore();
        }
    }
}
