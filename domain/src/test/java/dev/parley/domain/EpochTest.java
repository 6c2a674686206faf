package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class EpochTest {

    @Test
    void given_one_to_64_characters_when_parsing_then_valid() {
        assertThat(Epoch.parse("k").value()).isEqualTo(Epoch.of("k"));
        assertThat(Epoch.parse("k3x9 any text!").value().value()).isEqualTo("k3x9 any text!");
        assertThat(Epoch.parse("e".repeat(Epoch.MAX_LENGTH)).isValid()).isTrue();
    }

    @Test
    void given_epoch_65_characters_long_when_parsing_then_bad_request() {
        assertThat(codeOf(Epoch.parse("e".repeat(65)))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void given_missing_epoch_when_parsing_then_bad_request(String value) {
        assertThat(codeOf(Epoch.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_invalid_epoch_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> Epoch.of(""));
        assertThatIllegalArgumentException().isThrownBy(() -> Epoch.of(null));
        assertThatIllegalArgumentException().isThrownBy(() -> Epoch.of("e".repeat(65)));
    }

    @Test
    void given_epoch_when_printing_then_the_bare_value() {
        assertThat(Epoch.of("k3x9")).hasToString("k3x9");
    }
}
