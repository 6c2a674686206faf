package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads why a {@link Validated} or {@link AccessDecision} refused, failing the test when it did not. */
final class Refusals {
    private Refusals() {
    }

    static Violation codeOf(Validated<?> result) {
        assertThat(result).as("expected a refusal").isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<?>) result).violation();
    }

    static String messageOf(Validated<?> result) {
        assertThat(result).as("expected a refusal").isInstanceOf(Validated.Invalid.class);
        return ((Validated.Invalid<?>) result).message();
    }

    static Refusal codeOf(AccessDecision decision) {
        assertThat(decision).as("expected a refusal").isInstanceOf(AccessDecision.Refused.class);
        return ((AccessDecision.Refused) decision).reason();
    }

    static String messageOf(AccessDecision decision) {
        assertThat(decision).as("expected a refusal").isInstanceOf(AccessDecision.Refused.class);
        return ((AccessDecision.Refused) decision).message();
    }
}
