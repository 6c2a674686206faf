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
    void givenProtocolDefault_whenReading_thenTwentyErrorsInTenSeconds() {
        assertThat(ErrorBudget.PROTOCOL_MAX_ERRORS).isEqualTo(20);
        assertThat(ErrorBudget.PROTOCOL_WINDOW_MILLIS).isEqualTo(10_000);
    }

    @Test
    void givenTwentyErrorsInTheWindow_whenOneMoreComes_thenBudgetExhausted() {
        spendTwentyAt(0);

        assertThat(budget.spend(ErrorCode.UNKNOWN_TYPE, 9_999)).isTrue();
    }

    @Test
    void givenBudgetExhausted_whenMoreErrorsComeInTheWindow_thenStillExhausted() {
        spendTwentyAt(0);
        budget.spend(ErrorCode.BAD_REQUEST, 1);

        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 2)).isTrue();
    }

    @Test
    void givenManyRateLimitedAnswers_whenSpending_thenTheyAreNotCounted() {
        spendTwentyAt(0);
        for (int i = 0; i < 100; i++) {
            assertThat(budget.spend(ErrorCode.RATE_LIMITED, 1)).isFalse();
        }

        assertThat(budget.spend(ErrorCode.FORBIDDEN, 2)).as("the 21st real error").isTrue();
    }

    @Test
    void givenManyUnavailableAndInternalAnswers_whenSpending_thenTheyAreNotCounted() {
        spendTwentyAt(0);
        for (int i = 0; i < 100; i++) {
            assertThat(budget.spend(ErrorCode.UNAVAILABLE, 1)).isFalse();
            assertThat(budget.spend(ErrorCode.INTERNAL, 1)).isFalse();
        }

        assertThat(budget.spend(ErrorCode.NOT_MEMBER, 2)).as("the 21st error of the client's making").isTrue();
    }

    @Test
    void givenBudgetExhausted_whenRateLimitedAnswerComes_thenItIsStillNotCounted() {
        spendTwentyAt(0);
        budget.spend(ErrorCode.BAD_REQUEST, 0);

        assertThat(budget.spend(ErrorCode.RATE_LIMITED, 1)).isFalse();
    }

    @Test
    void givenTwentyErrorsExactlyOneWindowAgo_whenOneMoreComes_thenTheOldOnesHaveSlidOut() {
        spendTwentyAt(0);

        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 10_000)).isFalse();
    }

    @Test
    void givenErrorsSpreadOverTime_whenWindowSlides_thenOnlyTheLastTenSecondsCount() {
        spendTwentyAt(0);
        for (int i = 0; i < 19; i++) {
            assertThat(budget.spend(ErrorCode.BAD_REQUEST, 10_000)).isFalse();
        }

        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 10_000)).as("20 at t=10s, the 20 at t=0 expired").isFalse();
        assertThat(budget.spend(ErrorCode.BAD_REQUEST, 19_999)).as("21 within (9.999s, 19.999s]").isTrue();
    }

    @Test
    void givenOneErrorEvery500ms_whenGoingOnForMinutes_thenNeverMoreThanTwentyInAWindow() {
        for (long t = 0; t < 300_000; t += 500) {
            assertThat(budget.spend(ErrorCode.BAD_REQUEST, t)).as("at %d ms", t).isFalse();
        }
    }

    @Test
    void givenOneErrorEvery499ms_whenGoingOn_thenExhaustedOnceTwentyOneFitInAWindow() {
        long exhaustedAt = -1;
        for (long t = 0; t < 60_000 && exhaustedAt < 0; t += 499) {
            if (budget.spend(ErrorCode.BAD_REQUEST, t)) {
                exhaustedAt = t;
            }
        }

        assertThat(exhaustedAt).isEqualTo(20 * 499);
    }

    @Test
    void givenCustomBudget_whenSpending_thenItsOwnLimitAndWindowApply() {
        ErrorBudget small = new ErrorBudget(2, 100);

        assertThat(small.spend(ErrorCode.BAD_REQUEST, 0)).isFalse();
        assertThat(small.spend(ErrorCode.BAD_REQUEST, 50)).isFalse();
        assertThat(small.spend(ErrorCode.BAD_REQUEST, 99)).isTrue();
        assertThat(small.spend(ErrorCode.BAD_REQUEST, 160)).isFalse();
    }

    @Test
    void givenNonPositiveLimitOrWindow_whenConstructing_thenIllegalArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ErrorBudget(0, 10_000));
        assertThatIllegalArgumentException().isThrownBy(() -> new ErrorBudget(20, 0));
    }
}
