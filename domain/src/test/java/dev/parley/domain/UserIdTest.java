package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class UserIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a", "alice@example.com", "auth0|5f7c8ec7c33c6c004bbafe82", "caf\u00e9",
            "\u7528\u6237", "\uD83D\uDE00", "user:x", "a\"b", "<script>"})
    void givenVisibleCharacters_whenParsing_thenValid(String value) {
        Validated<UserId> parsed = UserId.parse(value);

        assertThat(parsed.isValid()).isTrue();
        assertThat(parsed.value().value()).isEqualTo(value);
    }

    @Test
    void given_id_128_characters_long_when_parsing_then_valid() {
        assertThat(UserId.parse("u".repeat(128)).isValid()).isTrue();
    }

    @Test
    void given_id_129_characters_long_when_parsing_then_bad_request() {
        assertThat(codeOf(UserId.parse("u".repeat(129)))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    void given_missing_id_when_parsing_then_bad_request(String value) {
        assertThat(codeOf(UserId.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", " alice", "alice ", "a\tb", "a\nb", "a\rb", "a\u0000b", "a\u007fb", "a\u0085b",
            "a\u009fb", "a\u00a0b", "a\u2003b", "a\u3000b", "a\u2028b", "\uD800", "a\uDC00", "\uDE00\uD83D"})
    void givenSpaceControlOrUnpairedSurrogate_whenParsing_thenBadRequest(String value) {
        assertThat(codeOf(UserId.parse(value))).isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_invalid_id_when_constructing_then_illegal_argument() {
        assertThatIllegalArgumentException().isThrownBy(() -> UserId.of("a b"));
        assertThatIllegalArgumentException().isThrownBy(() -> new UserId(null));
        assertThatIllegalArgumentException().isThrownBy(() -> UserId.of(""));
    }

    @Test
    void given_id_when_printing_then_the_bare_value() {
        assertThat(UserId.of("alice")).hasToString("alice").isEqualTo(UserId.of("alice"));
    }
}
