package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class EpochTest {

    @Test
    void givenOneTo64Characters_whenParsing_thenValid() {
        assertThat(Epoch.parse("k").value()).isEqualTo(Epoch.of("k"));
        assertThat(Epoch.parse("k3x9 any text!").value().value()).isEqualTo("k3x9 any text!");
        assertThat(Epoch.parse("e".repeat(Epoch.MAX_LENGTH)).isValid()).isTrue();
    }

    @Test
    void givenEpoch65CharactersLong_whenParsing_thenBadRequest() {
        assertThat(codeOf(Epoch.parse("e".repeat(65)))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void givenMissingEpoch_whenParsing_thenBadRequest(String value) {
        assertThat(codeOf(Epoch.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void givenInvalidEpoch_whenConstructing_thenIllegalArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> Epoch.of(""));
        assertThatIllegalArgumentException().isThrownBy(() -> Epoch.of(null));
        assertThatIllegalArgumentException().isThrownBy(() -> Epoch.of("e".repeat(65)));
    }

    @Test
    void givenEpoch_whenPrinting_thenTheBareValue() {
        assertThat(Epoch.of("k3x9")).hasToString("k3x9");
    }
}
