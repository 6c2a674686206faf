package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads why a {@link Validated} or {@link AccessDecision} refused, failing the test when it did not. */
final class Refusals {
    private Refusals() {
    }

    static ErrorCode codeOf(Validated<?> result) {
        assertThat(result).as("expected a refusal").isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<?>) result).code();
    }

    static String messageOf(Validated<?> result) {
        assertThat(result).as("expected a refusal").isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<?>) result).message();
    }

    static ErrorCode codeOf(AccessDecision decision) {
        assertThat(decision).as("expected a refusal").isInstanceOf(AccessDecision.Refused.class);
        return ((AccessDecision.Refused) decision).code();
    }

    static String messageOf(AccessDecision decision) {
        assertThat(decision).as("expected a refusal").isInstanceOf(AccessDecision.Refused.class);
        return ((AccessDecision.Refused) decision).message();
    }
}
