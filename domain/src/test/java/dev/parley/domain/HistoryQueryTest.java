package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryQueryTest {
    private static final RoomName ROOM = RoomName.of("lobby");
    private static final OptionalLong NONE = OptionalLong.empty();

    private static Validated<HistoryQuery> query(OptionalLong after, OptionalLong before, OptionalLong limit) {
        return HistoryQuery.of(ROOM, after, before, limit, Limits.DEFAULTS);
    }

    private static HistoryQuery.Page page(Long after, Long before, int limit, long oldestRetained, long latest) {
        HistoryQuery query = new HistoryQuery(ROOM,
                after == null ? NONE : OptionalLong.of(after),
                before == null ? NONE : OptionalLong.of(before),
                limit);
        return query.pageWithin(oldestRetained, latest);
    }

    @Nested
    class Validation {

        @Test
        void given_no_limit_when_validating_then_default_of_50() {
            HistoryQuery query = query(NONE, NONE, NONE).value();

            assertThat(query).isEqualTo(new HistoryQuery(ROOM, NONE, NONE, 50));
        }

        @Test
        void given_configured_default_when_validating_without_limit_then_that_default() {
            Limits limits = new Limits(4000, 8192, 16, 100, 10, 10_000, 20, 30);

            assertThat(HistoryQuery.of(ROOM, NONE, NONE, NONE, limits).value().limit()).isEqualTo(20);
            assertThat(codeOf(HistoryQuery.of(ROOM, NONE, NONE, OptionalLong.of(31), limits)))
                    .isEqualTo(Violation.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(longs = {1, 50, 100})
        void given_limit_from_1_to_100_when_validating_then_kept(long limit) {
            assertThat(query(NONE, NONE, OptionalLong.of(limit)).value().limit()).isEqualTo((int) limit);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, 101, 4_294_967_297L, Long.MIN_VALUE})
        void given_limit_outside_1_to_100_when_validating_then_bad_request(long limit) {
            Validated<HistoryQuery> query = query(NONE, NONE, OptionalLong.of(limit));

            assertThat(codeOf(query)).isEqualTo(Violation.MALFORMED);
            assertThat(messageOf(query)).contains("1..100");
        }

        @Test
        void given_after_and_before_within_zero_to_two_to_the_53_when_validating_then_kept() {
            HistoryQuery query = query(OptionalLong.of(0), OptionalLong.of(StreamPosition.MAX_SEQ), NONE).value();

            assertThat(query.after()).hasValue(0);
            assertThat(query.before()).hasValue(StreamPosition.MAX_SEQ);
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, 9_007_199_254_740_993L, Long.MAX_VALUE})
        void given_after_outside_zero_to_two_to_the_53_when_validating_then_bad_request(long after) {
            Validated<HistoryQuery> query = query(OptionalLong.of(after), NONE, NONE);

            assertThat(codeOf(query)).isEqualTo(Violation.MALFORMED);
            assertThat(messageOf(query)).startsWith("after");
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, 9_007_199_254_740_993L, Long.MIN_VALUE})
        void given_before_outside_zero_to_two_to_the_53_when_validating_then_bad_request(long before) {
            Validated<HistoryQuery> query = query(NONE, OptionalLong.of(before), NONE);

            assertThat(codeOf(query)).isEqualTo(Violation.MALFORMED);
            assertThat(messageOf(query)).startsWith("before");
        }

        @Test
        void given_after_when_asking_direction_then_ascending_otherwise_not() {
            assertThat(query(OptionalLong.of(5), NONE, NONE).value().ascending()).isTrue();
            assertThat(query(OptionalLong.of(5), OptionalLong.of(9), NONE).value().ascending()).isTrue();
            assertThat(query(NONE, OptionalLong.of(9), NONE).value().ascending()).isFalse();
            assertThat(query(NONE, NONE, NONE).value().ascending()).isFalse();
        }

        @Test
        void given_bad_parts_when_constructing_then_refused() {
            assertThatIllegalArgumentException().isThrownBy(() -> new HistoryQuery(ROOM, NONE, NONE, 0));
            assertThatNullPointerException().isThrownBy(() -> new HistoryQuery(null, NONE, NONE, 1));
            assertThatNullPointerException().isThrownBy(() -> new HistoryQuery(ROOM, null, NONE, 1));
            assertThatNullPointerException().isThrownBy(() -> new HistoryQuery(ROOM, NONE, null, 1));
        }
    }

    @Nested
    class PageWithin {

        @Test
        void given_neither_bound_when_paging_then_newest_messages_and_more_older_ones() {
            assertThat(page(null, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(151, 200, true));
        }

        @Test
        void given_neither_bound_and_fewer_messages_than_the_limit_when_paging_then_all_and_no_more() {
            assertThat(page(null, null, 50, 1, 30)).isEqualTo(new HistoryQuery.Page(1, 30, false));
        }

        @Test
        void given_neither_bound_and_exactly_limit_messages_when_paging_then_all_and_no_more() {
            assertThat(page(null, null, 50, 1, 50)).isEqualTo(new HistoryQuery.Page(1, 50, false));
        }

        @Test
        void given_after_when_paging_then_oldest_messages_above_it_and_more_newer_ones() {
            assertThat(page(10L, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 60, true));
        }

        @Test
        void given_after_near_the_top_when_paging_then_rest_and_no_more() {
            assertThat(page(150L, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(151, 200, false));
            assertThat(page(149L, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(150, 199, true));
        }

        @Test
        void given_after_at_or_beyond_the_latest_when_paging_then_empty_and_no_more() {
            HistoryQuery.Page atLatest = page(200L, null, 50, 1, 200);

            assertThat(atLatest.isEmpty()).isTrue();
            assertThat(atLatest.hasMore()).isFalse();
            assertThat(page(5_000L, null, 50, 1, 200).isEmpty()).isTrue();
            assertThat(page(StreamPosition.MAX_SEQ, null, 100, 1, 200).isEmpty()).isTrue();
        }

        @Test
        void given_before_when_paging_then_newest_messages_below_it_and_more_older_ones() {
            assertThat(page(null, 100L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(50, 99, true));
        }

        @Test
        void given_before_near_the_bottom_when_paging_then_rest_and_no_more() {
            assertThat(page(null, 51L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(1, 50, false));
            assertThat(page(null, 52L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(2, 51, true));
        }

        @Test
        void given_before_one_or_zero_when_paging_then_empty_and_no_more() {
            assertThat(page(null, 1L, 50, 1, 200)).satisfies(p -> {
                assertThat(p.isEmpty()).isTrue();
                assertThat(p.hasMore()).isFalse();
            });
            assertThat(page(null, 0L, 50, 1, 200).isEmpty()).isTrue();
        }

        @Test
        void given_before_beyond_the_latest_when_paging_then_newest_messages() {
            assertThat(page(null, 1_000L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(151, 200, true));
        }

        @Test
        void given_both_bounds_with_few_messages_between_when_paging_then_all_between_and_no_more() {
            assertThat(page(10L, 20L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 19, false));
        }

        @Test
        void given_both_bounds_with_more_than_the_limit_between_when_paging_then_oldest_between_and_more_newer() {
            assertThat(page(10L, 100L, 5, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 15, true));
            assertThat(page(10L, 16L, 5, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 15, false));
        }

        @Test
        void given_both_bounds_with_nothing_between_when_paging_then_empty() {
            assertThat(page(10L, 11L, 5, 1, 200).isEmpty()).isTrue();
            assertThat(page(20L, 10L, 5, 1, 200).isEmpty()).isTrue();
        }

        @Test
        void given_old_messages_no_longer_retained_when_paging_the_newest_then_stops_at_the_oldest_retained() {
            assertThat(page(null, null, 150, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 200, false));
            assertThat(page(null, null, 50, 101, 200)).isEqualTo(new HistoryQuery.Page(151, 200, true));
        }

        @Test
        void given_old_messages_no_longer_retained_when_paging_before_then_no_more_once_the_retained_are_exhausted() {
            assertThat(page(null, 120L, 50, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 119, false));
            assertThat(page(null, 101L, 50, 101, 200).isEmpty()).isTrue();
            assertThat(page(null, 90L, 50, 101, 200).hasMore()).isFalse();
        }

        @Test
        void given_old_messages_no_longer_retained_when_paging_after_an_expired_seq_then_starts_at_the_oldest_retained() {
            assertThat(page(10L, null, 50, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 150, true));
            assertThat(page(0L, null, 100, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 200, false));
        }

        @Test
        void given_nothing_retained_when_paging_then_empty_in_every_direction() {
            assertThat(page(null, null, 50, 201, 200).isEmpty()).isTrue();
            assertThat(page(0L, null, 50, 201, 200).isEmpty()).isTrue();
            assertThat(page(null, 150L, 50, 201, 200).isEmpty()).isTrue();
        }

        @Test
        void given_empty_room_when_paging_then_empty_and_no_more() {
            HistoryQuery.Page page = page(null, null, 50, 1, 0);

            assertThat(page.isEmpty()).isTrue();
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        void given_page_bounds_when_asking_if_empty_then_empty_only_when_to_is_below_from() {
            assertThat(new HistoryQuery.Page(5, 4, false).isEmpty()).isTrue();
            assertThat(new HistoryQuery.Page(5, 5, false).isEmpty()).isFalse();
        }
    }
}
