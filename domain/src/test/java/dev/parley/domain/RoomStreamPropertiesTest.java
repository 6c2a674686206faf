package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 4 under any interleaving: chats 1..n arrive shuffled and repeated, members join at any
 * point (some recovering from a position, answered with any seq the store may have reached), and
 * each member still gets exactly the seqs after its starting point, once each, in order.
 */
class RoomStreamPropertiesTest {
    private static final RoomName ROOM = RoomName.of("lobby");

    private static ChatMessage message(long seq) {
        return new ChatMessage(ROOM, seq, RequestId.of("m" + seq), User.named("alice"), new MessageText("m" + seq),
                Optional.empty(), seq);
    }

    /** One run: arrivals of 1..n, and at each step maybe a join attached or answered. */
    record Run(long n, List<Long> arrivals, long seed) {
    }

    static Run run(SplittableRandom random, int size) {
        Run arrivals = arrivals(random, size);
        return new Run(arrivals.n(), arrivals.arrivals(), random.nextLong());
    }

    private static Run arrivals(SplittableRandom random, int size) {
        int n = 1 + random.nextInt(size);
        List<Long> seqs = new ArrayList<>();
        LongStream.rangeClosed(1, n).forEach(seqs::add);
        for (int i = random.nextInt(n + 1); i > 0; i--) {
            seqs.add(1 + random.nextLong(n));
        }
        for (int i = seqs.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            seqs.set(j, seqs.set(i, seqs.get(j)));
        }
        return new Run(n, seqs, 0);
    }

    private record Joiner(JoinTicket ticket, long since, boolean recovers) {
    }

    @Test
    void given_any_interleaving_of_arrivals_and_joins_when_all_chats_arrived_then_each_member_gets_its_seqs_once_in_order() {
        PropertyCheck.forAll(1_000, 60, RoomStreamPropertiesTest::run, run -> {
            SplittableRandom random = new SplittableRandom(run.seed());
            RoomStream stream = new RoomStream(ROOM);
            stream.start(0);
            Map<ConnectionId, List<Long>> heard = new HashMap<>();
            Map<ConnectionId, Long> startedAfter = new HashMap<>();
            List<Joiner> joining = new ArrayList<>();
            long highestArrived = 0;
            long tickets = 0;
            for (long seq : run.arrivals()) {
                if (random.nextInt(4) == 0) {
                    ConnectionId connection = ConnectionId.random();
                    JoinTicket ticket = new JoinTicket(connection, ROOM, ++tickets);
                    stream.attach(ticket);
                    boolean recovers = random.nextBoolean();
                    joining.add(new Joiner(ticket, recovers ? random.nextLong(stream.lastReleased() + 1) : 0, recovers));
                }
                if (!joining.isEmpty() && random.nextInt(3) == 0) {
                    Joiner joiner = joining.remove(random.nextInt(joining.size()));
                    // The answer reads the store, which holds at least what was released and may hold more.
                    long answered = stream.lastReleased() + random.nextLong(run.n() - stream.lastReleased() + 1);
                    List<ChatMessage> replay = joiner.recovers()
                            ? LongStream.rangeClosed(joiner.since() + 1, answered).mapToObj(RoomStreamPropertiesTest::message).toList()
                            : List.of();
                    startedAfter.put(joiner.ticket().connection(), joiner.recovers() ? joiner.since() : answered);
                    record(heard, stream.handOver(joiner.ticket(), answered, replay).orElseThrow());
                }
                highestArrived = Math.max(highestArrived, seq);
                record(heard, stream.accept(new RoomEvent.Posted(message(seq))));
            }
            assertThat(highestArrived).isEqualTo(run.n());
            for (Map.Entry<ConnectionId, Long> member : startedAfter.entrySet()) {
                assertThat(heard.getOrDefault(member.getKey(), List.of()))
                        .as("member that started after %d", member.getValue())
                        .containsExactlyElementsOf(LongStream.rangeClosed(member.getValue() + 1, run.n()).boxed().toList());
            }
        });
    }

    private static void record(Map<ConnectionId, List<Long>> heard, List<RoomStream.Dispatch> dispatches) {
        for (RoomStream.Dispatch dispatch : dispatches) {
            long seq = ((RoomEvent.Posted) dispatch.event()).message().seq();
            for (ConnectionId to : dispatch.recipients()) {
                heard.computeIfAbsent(to, id -> new ArrayList<>()).add(seq);
            }
        }
    }
}
