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
    void given_uuid_when_parsing_then_valid() {
        String uuid = UUID.randomUUID().toString();

        assertThat(RequestId.parse(uuid).value().value()).isEqualTo(uuid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "abc_DEF-123", "-", "_"})
    void given_word_characters_when_parsing_then_valid(String value) {
        assertThat(RequestId.parse(value).isValid()).isTrue();
    }

    @Test
    void given_id_64_characters_long_when_parsing_then_valid() {
        assertThat(RequestId.parse("i".repeat(64)).isValid()).isTrue();
    }

    @Test
    void given_id_65_characters_long_when_parsing_then_bad_request() {
        assertThat(codeOf(RequestId.parse("i".repeat(65)))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"a.b", "a:b", "a b", "a/b", "caf\u00e9", "a\u0000", "{id}"})
    void given_missing_id_or_non_word_character_when_parsing_then_bad_request(String value) {
        assertThat(codeOf(RequestId.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_invalid_id_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> RequestId.of("a.b"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestId(null));
    }

    @Test
    void given_id_when_printing_then_the_bare_value() {
        assertThat(RequestId.of("r-1")).hasToString("r-1").isEqualTo(RequestId.of("r-1"));
    }
}
