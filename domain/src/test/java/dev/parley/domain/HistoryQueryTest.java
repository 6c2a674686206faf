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
        void givenNoLimit_whenValidating_thenDefaultOf50() {
            HistoryQuery query = query(NONE, NONE, NONE).value();

            assertThat(query).isEqualTo(new HistoryQuery(ROOM, NONE, NONE, 50));
        }

        @Test
        void givenConfiguredDefault_whenValidatingWithoutLimit_thenThatDefault() {
            Limits limits = new Limits(4000, 8192, 16, 100, 10, 10_000, 20, 30);

            assertThat(HistoryQuery.of(ROOM, NONE, NONE, NONE, limits).value().limit()).isEqualTo(20);
            assertThat(codeOf(HistoryQuery.of(ROOM, NONE, NONE, OptionalLong.of(31), limits)))
                    .isEqualTo(Violation.MALFORMED);
        }

        @ParameterizedTest
        @ValueSource(longs = {1, 50, 100})
        void givenLimitFrom1To100_whenValidating_thenKept(long limit) {
            assertThat(query(NONE, NONE, OptionalLong.of(limit)).value().limit()).isEqualTo((int) limit);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, 101, 4_294_967_297L, Long.MIN_VALUE})
        void givenLimitOutside1To100_whenValidating_thenBadRequest(long limit) {
            Validated<HistoryQuery> query = query(NONE, NONE, OptionalLong.of(limit));

            assertThat(codeOf(query)).isEqualTo(Violation.MALFORMED);
            assertThat(messageOf(query)).contains("1..100");
        }

        @Test
        void givenAfterAndBeforeWithinZeroToTwoToThe53_whenValidating_thenKept() {
            HistoryQuery query = query(OptionalLong.of(0), OptionalLong.of(StreamPosition.MAX_SEQ), NONE).value();

            assertThat(query.after()).hasValue(0);
            assertThat(query.before()).hasValue(StreamPosition.MAX_SEQ);
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, 9_007_199_254_740_993L, Long.MAX_VALUE})
        void givenAfterOutsideZeroToTwoToThe53_whenValidating_thenBadRequest(long after) {
            Validated<HistoryQuery> query = query(OptionalLong.of(after), NONE, NONE);

            assertThat(codeOf(query)).isEqualTo(Violation.MALFORMED);
            assertThat(messageOf(query)).startsWith("after");
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, 9_007_199_254_740_993L, Long.MIN_VALUE})
        void givenBeforeOutsideZeroToTwoToThe53_whenValidating_thenBadRequest(long before) {
            Validated<HistoryQuery> query = query(NONE, OptionalLong.of(before), NONE);

            assertThat(codeOf(query)).isEqualTo(Violation.MALFORMED);
            assertThat(messageOf(query)).startsWith("before");
        }

        @Test
        void givenAfter_whenAskingDirection_thenAscendingOtherwiseNot() {
            assertThat(query(OptionalLong.of(5), NONE, NONE).value().ascending()).isTrue();
            assertThat(query(OptionalLong.of(5), OptionalLong.of(9), NONE).value().ascending()).isTrue();
            assertThat(query(NONE, OptionalLong.of(9), NONE).value().ascending()).isFalse();
            assertThat(query(NONE, NONE, NONE).value().ascending()).isFalse();
        }

        @Test
        void givenBadParts_whenConstructing_thenRefused() {
            assertThatIllegalArgumentException().isThrownBy(() -> new HistoryQuery(ROOM, NONE, NONE, 0));
            assertThatNullPointerException().isThrownBy(() -> new HistoryQuery(null, NONE, NONE, 1));
            assertThatNullPointerException().isThrownBy(() -> new HistoryQuery(ROOM, null, NONE, 1));
            assertThatNullPointerException().isThrownBy(() -> new HistoryQuery(ROOM, NONE, null, 1));
        }
    }

    @Nested
    class PageWithin {

        @Test
        void givenNeitherBound_whenPaging_thenNewestMessagesAndMoreOlderOnes() {
            assertThat(page(null, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(151, 200, true));
        }

        @Test
        void givenNeitherBoundAndFewerMessagesThanTheLimit_whenPaging_thenAllAndNoMore() {
            assertThat(page(null, null, 50, 1, 30)).isEqualTo(new HistoryQuery.Page(1, 30, false));
        }

        @Test
        void givenNeitherBoundAndExactlyLimitMessages_whenPaging_thenAllAndNoMore() {
            assertThat(page(null, null, 50, 1, 50)).isEqualTo(new HistoryQuery.Page(1, 50, false));
        }

        @Test
        void givenAfter_whenPaging_thenOldestMessagesAboveItAndMoreNewerOnes() {
            assertThat(page(10L, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 60, true));
        }

        @Test
        void givenAfterNearTheTop_whenPaging_thenRestAndNoMore() {
            assertThat(page(150L, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(151, 200, false));
            assertThat(page(149L, null, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(150, 199, true));
        }

        @Test
        void givenAfterAtOrBeyondTheLatest_whenPaging_thenEmptyAndNoMore() {
            HistoryQuery.Page atLatest = page(200L, null, 50, 1, 200);

            assertThat(atLatest.isEmpty()).isTrue();
            assertThat(atLatest.hasMore()).isFalse();
            assertThat(page(5_000L, null, 50, 1, 200).isEmpty()).isTrue();
            assertThat(page(StreamPosition.MAX_SEQ, null, 100, 1, 200).isEmpty()).isTrue();
        }

        @Test
        void givenBefore_whenPaging_thenNewestMessagesBelowItAndMoreOlderOnes() {
            assertThat(page(null, 100L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(50, 99, true));
        }

        @Test
        void givenBeforeNearTheBottom_whenPaging_thenRestAndNoMore() {
            assertThat(page(null, 51L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(1, 50, false));
            assertThat(page(null, 52L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(2, 51, true));
        }

        @Test
        void givenBeforeOneOrZero_whenPaging_thenEmptyAndNoMore() {
            assertThat(page(null, 1L, 50, 1, 200)).satisfies(p -> {
                assertThat(p.isEmpty()).isTrue();
                assertThat(p.hasMore()).isFalse();
            });
            assertThat(page(null, 0L, 50, 1, 200).isEmpty()).isTrue();
        }

        @Test
        void givenBeforeBeyondTheLatest_whenPaging_thenNewestMessages() {
            assertThat(page(null, 1_000L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(151, 200, true));
        }

        @Test
        void givenBothBoundsWithFewMessagesBetween_whenPaging_thenAllBetweenAndNoMore() {
            assertThat(page(10L, 20L, 50, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 19, false));
        }

        @Test
        void givenBothBoundsWithMoreThanTheLimitBetween_whenPaging_thenOldestBetweenAndMoreNewer() {
            assertThat(page(10L, 100L, 5, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 15, true));
            assertThat(page(10L, 16L, 5, 1, 200)).isEqualTo(new HistoryQuery.Page(11, 15, false));
        }

        @Test
        void givenBothBoundsWithNothingBetween_whenPaging_thenEmpty() {
            assertThat(page(10L, 11L, 5, 1, 200).isEmpty()).isTrue();
            assertThat(page(20L, 10L, 5, 1, 200).isEmpty()).isTrue();
        }

        @Test
        void givenOldMessagesNoLongerRetained_whenPagingTheNewest_thenStopsAtTheOldestRetained() {
            assertThat(page(null, null, 150, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 200, false));
            assertThat(page(null, null, 50, 101, 200)).isEqualTo(new HistoryQuery.Page(151, 200, true));
        }

        @Test
        void givenOldMessagesNoLongerRetained_whenPagingBefore_thenNoMoreOnceTheRetainedAreExhausted() {
            assertThat(page(null, 120L, 50, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 119, false));
            assertThat(page(null, 101L, 50, 101, 200).isEmpty()).isTrue();
            assertThat(page(null, 90L, 50, 101, 200).hasMore()).isFalse();
        }

        @Test
        void givenOldMessagesNoLongerRetained_whenPagingAfterAnExpiredSeq_thenStartsAtTheOldestRetained() {
            assertThat(page(10L, null, 50, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 150, true));
            assertThat(page(0L, null, 100, 101, 200)).isEqualTo(new HistoryQuery.Page(101, 200, false));
        }

        @Test
        void givenNothingRetained_whenPaging_thenEmptyInEveryDirection() {
            assertThat(page(null, null, 50, 201, 200).isEmpty()).isTrue();
            assertThat(page(0L, null, 50, 201, 200).isEmpty()).isTrue();
            assertThat(page(null, 150L, 50, 201, 200).isEmpty()).isTrue();
        }

        @Test
        void givenEmptyRoom_whenPaging_thenEmptyAndNoMore() {
            HistoryQuery.Page page = page(null, null, 50, 1, 0);

            assertThat(page.isEmpty()).isTrue();
            assertThat(page.hasMore()).isFalse();
        }

        @Test
        void givenPageBounds_whenAskingIfEmpty_thenEmptyOnlyWhenToIsBelowFrom() {
            assertThat(new HistoryQuery.Page(5, 4, false).isEmpty()).isTrue();
            assertThat(new HistoryQuery.Page(5, 5, false).isEmpty()).isFalse();
        }
    }
}
