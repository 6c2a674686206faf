package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdTest {

    @Test
    void givenUuid_whenParsing_thenValid() {
        String uuid = UUID.randomUUID().toString();

        assertThat(RequestId.parse(uuid).value().value()).isEqualTo(uuid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "abc_DEF-123", "-", "_"})
    void givenWordCharacters_whenParsing_thenValid(String value) {
        assertThat(RequestId.parse(value).isValid()).isTrue();
    }

    @Test
    void givenId64CharactersLong_whenParsing_thenValid() {
        assertThat(RequestId.parse("i".repeat(64)).isValid()).isTrue();
    }

    @Test
    void givenId65CharactersLong_whenParsing_thenBadRequest() {
        assertThat(codeOf(RequestId.parse("i".repeat(65)))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a.b", "a:b", "a b", "a/b", "caf\u00e9", "a\u0000", "{id}"})
    void givenMissingIdOrNonWordCharacter_whenParsing_thenBadRequest(String value) {
        assertThat(codeOf(RequestId.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void givenInvalidId_whenConstructing_thenIllegalArgument() {
        assertThatIllegalArgumentException().isThrownBy(() -> RequestId.of("a.b"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestId(null));
    }

    @Test
    void givenId_whenPrinting_thenTheBareValue() {
        assertThat(RequestId.of("r-1")).hasToString("r-1").isEqualTo(RequestId.of("r-1"));
    }
}
