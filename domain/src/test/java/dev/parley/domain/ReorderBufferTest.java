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
    void given_items_in_order_when_offered_then_each_released_at_once() {
        for (long seq = 1; seq <= 5; seq++) {
            assertThat(buffer.offer(Item.of(seq))).containsExactly(Item.of(seq));
            assertThat(buffer.lastReleased()).isEqualTo(seq);
            assertThat(buffer.gap()).isEmpty();
            assertThat(buffer.heldCount()).isZero();
        }
    }

    @Test
    void given_item_after_a_gap_when_offered_then_held_and_gap_named() {
        assertThat(buffer.offer(Item.of(3))).isEmpty();

        assertThat(buffer.heldCount()).isEqualTo(1);
        assertThat(buffer.lastReleased()).isZero();
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(1, 2));
    }

    @Test
    void given_held_items_when_the_missing_one_arrives_then_everything_contiguous_released_in_order() {
        buffer.offer(Item.of(3));
        buffer.offer(Item.of(2));

        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1), Item.of(2), Item.of(3));
        assertThat(buffer.lastReleased()).isEqualTo(3);
        assertThat(buffer.heldCount()).isZero();
        assertThat(buffer.gap()).isEmpty();
    }

    @Test
    void given_two_gaps_when_filling_them_one_by_one_then_gap_shrinks_and_moves_to_the_next_hole() {
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
    void given_held_item_when_its_duplicate_arrives_then_dropped_and_the_first_copy_kept() {
        buffer.offer(new Item(2, "first"));

        assertThat(buffer.offer(new Item(2, "second"))).isEmpty();
        assertThat(buffer.heldCount()).isEqualTo(1);
        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1), new Item(2, "first"));
    }

    @Test
    void given_released_items_when_old_or_repeated_seqs_arrive_then_ignored() {
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
    void given_buffer_starting_after_a_join_position_when_offered_then_only_later_seqs_released() {
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
    void given_held_items_with_holes_between_them_when_gap_filled_then_release_stops_at_the_next_hole() {
        buffer.offer(Item.of(2));
        buffer.offer(Item.of(4));
        buffer.offer(Item.of(5));

        assertThat(buffer.offer(Item.of(1))).containsExactly(Item.of(1), Item.of(2));
        assertThat(buffer.heldCount()).isEqualTo(2);
        assertThat(buffer.gap()).contains(new ReorderBuffer.Gap(3, 3));
    }

    @Test
    void given_bad_arguments_when_constructing_then_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ReorderBuffer<Item>(-1, Item::seq));
        assertThatNullPointerException().isThrownBy(() -> new ReorderBuffer<Item>(0, null));
    }

    @Test
    void given_bad_gap_bounds_when_constructing_then_illegal_argument() {
        assertThat(new ReorderBuffer.Gap(1, 1)).isEqualTo(new ReorderBuffer.Gap(1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReorderBuffer.Gap(0, 3));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReorderBuffer.Gap(5, 4));
    }
}
