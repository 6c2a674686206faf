package dev.parley.adapters.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.parley.adapters.websocket.frames.ErrorCode;
import org.junit.jupiter.api.Test;

class ErrorBudgetTest {
    private final ErrorBudget budget = ErrorBudget.protocolDefault();

    private void spendTwentyAt(long nowMillis) {
        for (int i = 0; i < 20; i++) {
            assertThat(budget.spend(ErrorCode.BAD_REQUEST, nowMillis)).as("error %d", i + 1).isFalse();
        }
    }

    @Test
    void given_protocol_default_when_reading_then_twenty_errors_in_ten_seconds() {
        assertThat(ErrorBudget.PROTOCOL_MAX_ERRORS).isEqualTo(20);
        assertThat(ErrorBudget.PROTOCOL_WINDOW_MILLIS).isEqualTo(10_000);
    }

    @Test
    void given_twenty_errors_in_the_window_when_one_more_comes_then_budget_exhausted() {
        spendTwentyAt(0);

        assertThat(budget.spend(ErrorCode.UNKNOWN_TYPE, 9_999)).isTrue();
    }

    @Test
    void given_budget_exhausted_when_more_errors_come_in_the_window_then_still_exhausted() {
        spendTwentyAt(0);
        budget.spend(ErrorCode.BAD_REQUEST, 1);

        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 2)).isTrue();
    }

    @Test
    void given_many_rate_limited_answers_when_spending_then_they_are_not_counted() {
        spendTwentyAt(0);
        for (int i = 0; i < 100; i++) {
            assertThat(budget.spend(ErrorCode.RATE_LIMITED, 1)).isFalse();
        }

        assertThat(budget.spend(ErrorCode.FORBIDDEN, 2)).as("the 21st real error").isTrue();
    }

    @Test
    void given_many_unavailable_and_internal_answers_when_spending_then_they_are_not_counted() {
        spendTwentyAt(0);
        for (int i = 0; i < 100; i++) {
            assertThat(budget.spend(ErrorCode.UNAVAILABLE, 1)).isFalse();
            assertThat(budget.spend(ErrorCode.INTERNAL, 1)).isFalse();
        }

        assertThat(budget.spend(ErrorCode.NOT_MEMBER, 2)).as("the 21st error of the client's making").isTrue();
    }

    @Test
    void given_budget_exhausted_when_rate_limited_answer_comes_then_it_is_still_not_counted() {
        spendTwentyAt(0);
        budget.spend(ErrorCode.BAD_REQUEST, 0);

        assertThat(budget.spend(ErrorCode.RATE_LIMITED, 1)).isFalse();
    }

    @Test
    void given_twenty_errors_exactly_one_window_ago_when_one_more_comes_then_the_old_ones_have_slid_out() {
        spendTwentyAt(0);

        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 10_000)).isFalse();
    }

    @Test
    void given_errors_spread_over_time_when_window_slides_then_only_the_last_ten_seconds_count() {
        spendTwentyAt(0);
        for (int i = 0; i < 19; i++) {
            assertThat(budget.spend(ErrorCode.BAD_REQUEST, 10_000)).isFalse();
        }

        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 10_000)).as("20 at t=10s, the 20 at t=0 expired").isFalse();
        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 19_999)).as("21 within (9.999s, 19.999s]").isTrue();
    }

    @Test
    void given_one_error_every_500ms_when_going_on_for_minutes_then_never_more_than_twenty_in_a_window() {
        for (long t = 0; t < 300_000; t += 500) {
            assertThat(budget.spend(ErrorCode.BAD_REQUEST, t)).as("at %d ms", t).isFalse();
        }
    }

    @Test
    void given_one_error_every_499ms_when_going_on_then_exhausted_once_twenty_one_fit_in_a_window() {
        long exhaustedAt = -1;
        for (long t = 0; t < 60_000 && exhaustedAt < 0; t += 499) {
            if (budget.spend(ErrorCode.BAD_REQUEST, t)) {
                exhaustedAt = t;
            }
        }

        assertThat(exhaustedAt).isEqualTo(20 * 499);
    }

    @Test
    void given_custom_budget_when_spending_then_its_own_limit_and_window_apply() {
        ErrorBudget small = new ErrorBudget(2, 100);

        assertThat(small.spend(ErrorCode.BAD_REQUEST, 0)).isFalse();
        assertThat(small.spend(ErrorCode.BAD_REQUEST, 50)).isFalse();
        assertThat(small.spend(ErrorCode.BAD_REQUEST, 99)).isTrue();
        assertThat(small.spend(ErrorCode.BAD_REQUEST, 160)).isFalse();
    }

    @Test
    void given_non_positive_limit_or_window_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ErrorBudget(0, 10_000));
        assertThatIllegalArgumentException().isThrownBy(() -> new ErrorBudget(20, 0));
    }
}
