package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class ReorderBufferTest {

    record Item(long seq, String payload) {
        static Item of(long seq) {
            return new Item(seq, "m" + seq);
        }
    }

    private final ReorderBuffer<Item> buffer = new ReorderBuffer<>(0, Item::seq);

    @Test
    void givenItemsInOrder_whenOffered_thenEachReleasedAtOnce() {
        for (long seq = 1; seq <= 5; seq++) {
            assertThat(buffer.offer(Item.of(seq))).containsExactly(Item.of(seq));
            assertThat(buffer.lastReleased()).isEqualTo(seq);
            assertThat(buffer.gap()).isEmpty();
            assertThat(buffer.heldCount()).isZero();
        }
    }

    @Test
    void givenItemAfterAGap_whenOffered_thenHeldAndGapNamed() {
        assertThat(buffer.offer(Item.of(3))).isEmpty();

        assertThat(buffer.heldCount()).isEqualTo(1);
        assertThat(buffer.lastReleased()).isZero();
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(1, 2));
    }

    @Test
    void givenHeldItems_whenTheMissingOneArrives_thenEverythingContiguousReleasedInOrder() {
        buffer.offer(Item.of(3));
        buffer.offer(Item.of(2));

        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1), Item.of(2), Item.of(3));
        assertThat(buffer.lastReleased()).isEqualTo(3);
        assertThat(buffer.heldCount()).isZero();
        assertThat(buffer.gap()).isEmpty();
    }

    @Test
    void givenTwoGaps_whenFillingThemOneByOne_thenGapShrinksAndMovesToTheNextHole() {
        buffer.offer(Item.of(5));
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(1, 4));

        buffer.offer(Item.of(3));
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(1, 2));

        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1));
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(2, 2));

        assertThat(buffer.offer(Item.of(2))).containsExactly(Item.of(2), Item.of(3));
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(4, 4));
        assertThat(buffer.heldCount()).isEqualTo(1);

        assertThat(buffer.offer(Item.of(4))).containsExactly(Item.of(4), Item.of(5));
        assertThat(buffer.gap()).isEmpty();
    }

    @Test
    void givenHeldItem_whenItsDuplicateArrives_thenDroppedAndTheFirstCopyKept() {
        buffer.offer(new Item(2, "first"));

        assertThat(buffer.offer(new Item(2, "second"))).isEmpty();
        assertThat(buffer.heldCount()).isEqualTo(1);
        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1), new Item(2, "first"));
    }

    @Test
    void givenReleasedItems_whenOldOrRepeatedSeqsArrive_thenIgnored() {
        buffer.offer(Item.of(1));
        buffer.offer(Item.of(2));

        assertThat(buffer.offer(Item.of(2))).isEmpty();
        assertThat(buffer.offer(Item.of(1))).isEmpty();
        assertThat(buffer.offer(Item.of(0))).isEmpty();
        assertThat(buffer.offer(Item.of(-7))).isEmpty();
        assertThat(buffer.lastReleased()).isEqualTo(2);
        assertThat(buffer.heldCount()).isZero();
        assertThat(buffer.offer(Item.of(3))).containsExactly(Item.of(3));
    }

    @Test
    void givenBufferStartingAfterAJoinPosition_whenOffered_thenOnlyLaterSeqsReleased() {
        ReorderBuffer<Item> joinedAt10 = new ReorderBuffer<>(10, Item::seq);

        assertThat(joinedAt10.lastReleased()).isEqualTo(10);
        assertThat(joinedAt10.offer(Item.of(10))).isEmpty();
        assertThat(joinedAt10.offer(Item.of(5))).isEmpty();
        assertThat(joinedAt10.offer(Item.of(13))).isEmpty();
        assertThat(joinedAt10.gap()).contains(new ReorderBuffer.Gap(11, 12));
        assertThat(joinedAt10.offer(Item.of(11))).containsExactly(Item.of(11));
        assertThat(joinedAt10.offer(Item.of(12))).containsExactly(Item.of(12), Item.of(13));
    }

    @Test
    void givenHeldItemsWithHolesBetweenThem_whenGapFilled_thenReleaseStopsAtTheNextHole() {
        buffer.offer(Item.of(2));
        buffer.offer(Item.of(4));
        buffer.offer(Item.of(5));

        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1), Item.of(2));
        assertThat(buffer.heldCount()).isEqualTo(2);
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(3, 3));
    }

    @Test
    void givenBadArguments_whenConstructing_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ReorderBuffer<Item>(-1, Item::seq));
        assertThatNullPointerException().isThrownBy(() -> new ReorderBuffer<Item>(0, null));
    }

    @Test
    void givenBadGapBounds_whenConstructing_thenIllegalArgument() {
        assertThat(new ReorderBuffer.Gap(1, 1)).isEqualTo(new ReorderBuffer.Gap(1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReorderBuffer.Gap(0, 3));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReorderBuffer.Gap(5, 4));
    }
}
