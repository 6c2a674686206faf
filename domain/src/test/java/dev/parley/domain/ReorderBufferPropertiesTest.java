package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ReorderBufferPropertiesTest {

    /** Arrivals of 1..n, each at least once, some more than once, in a random order. */
    record Arrivals(long n, long startAfter, List<Long> seqs) {
    }

    static Arrivals arrivals(SplittableRandom random, int size) {
        int n = 1 + random.nextInt(size);
        List<Long> seqs = new ArrayList<>();
        LongStream.rangeClosed(1, n).forEach(seqs::add);
        int duplicates = random.nextInt(n + 1);
        for (int i = 0; i < duplicates; i++) {
            seqs.add(1 + random.nextLong(n));
        }
        shuffle(seqs, random);
        return new Arrivals(n, 0, seqs);
    }

    static Arrivals arrivalsAfterAJoinPosition(SplittableRandom random, int size) {
        Arrivals arrivals = arrivals(random, size);
        return new Arrivals(arrivals.n(), random.nextLong(arrivals.n() + 1), arrivals.seqs());
    }

    private static void shuffle(List<Long> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }

    @Test
    void given_any_permutation_with_duplicates_of_one_to_n_when_offered_then_releases_exactly_one_to_n_once_in_order() {
        PropertyCheck.forAll(2_000, 80, ReorderBufferPropertiesTest::arrivals, arrivals -> {
            ReorderBuffer<Long> buffer = new ReorderBuffer<>(0, Long::longValue);
            List<Long> released = new ArrayList<>();

            for (long seq : arrivals.seqs()) {
                released.addAll(buffer.offer(seq));
            }

            assertThat(released).containsExactlyElementsOf(LongStream.rangeClosed(1, arrivals.n()).boxed().toList());
            assertThat(buffer.lastReleased()).isEqualTo(arrivals.n());
            assertThat(buffer.heldCount()).isZero();
            assertThat(buffer.gap()).isEmpty();
        });
    }

    @Test
    void given_any_arrival_order_when_offered_then_after_each_offer_the_gap_is_exactly_the_first_run_not_yet_seen() {
        PropertyCheck.forAll(1_000, 80, ReorderBufferPropertiesTest::arrivals, arrivals -> {
            ReorderBuffer<Long> buffer = new ReorderBuffer<>(0, Long::longValue);
            Set<Long> seen = new HashSet<>();
            long releasedSoFar = 0;

            for (long seq : arrivals.seqs()) {
                List<Long> released = buffer.offer(seq);
                seen.add(seq);
                for (long r : released) {
                    assertThat(r).as("released in order without gaps").isEqualTo(++releasedSoFar);
                }

                long firstUnseen = 1;
                while (seen.contains(firstUnseen)) {
                    firstUnseen++;
                }
                assertThat(buffer.lastReleased()).isEqualTo(firstUnseen - 1);
                long heldAbove = seen.stream().filter(s -> s > buffer.lastReleased()).count();
                assertThat(buffer.heldCount()).isEqualTo(heldAbove);
                if (heldAbove == 0) {
                    assertThat(buffer.gap()).isEmpty();
                } else {
                    long nextSeen = firstUnseen;
                    while (!seen.contains(nextSeen)) {
                        nextSeen++;
                    }
                    assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(firstUnseen, nextSeen - 1));
                }
            }
        });
    }

    @Test
    void given_buffer_starting_at_a_join_position_when_any_arrivals_offered_then_releases_exactly_the_seqs_after_it() {
        PropertyCheck.forAll(1_000, 80, ReorderBufferPropertiesTest::arrivalsAfterAJoinPosition, arrivals -> {
            ReorderBuffer<Long> buffer = new ReorderBuffer<>(arrivals.startAfter(), Long::longValue);
            List<Long> released = new ArrayList<>();

            for (long seq : arrivals.seqs()) {
                released.addAll(buffer.offer(seq));
            }

            assertThat(released).containsExactlyElementsOf(
                    LongStream.rangeClosed(arrivals.startAfter() + 1, arrivals.n()).boxed().toList());
            assertThat(buffer.heldCount()).isZero();
        });
    }
}
