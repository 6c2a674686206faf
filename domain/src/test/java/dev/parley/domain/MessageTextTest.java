package dev.parley.domain;

import static dev.parley.domain.Refusals.codeOf;
import static dev.parley.domain.Refusals.messageOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTextTest {
    private static final Limits LIMITS = Limits.DEFAULTS;
    private static final String EMOJI = "\uD83D\uDE00";

    @Test
    void given_text_with_controls_and_outer_white_space_when_sanitising_then_cleaned_text() {
        Validated<MessageText> text = MessageText.sanitize("  hello\u0000 world\r\n\u007F ", LIMITS);

        assertThat(text.value().value()).isEqualTo("hello world");
    }

    @Test
    void given_multi_line_text_when_sanitising_then_newlines_and_tabs_kept_carriage_returns_removed() {
        assertThat(MessageText.sanitize("a\r\n\tb", LIMITS).value().value()).isEqualTo("a\n\tb");
    }

    @Test
    void given_no_text_when_sanitising_then_bad_request() {
        assertThat(codeOf(MessageText.sanitize(null, LIMITS))).isEqualTo(Violation.MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t \n", "\u0000\r\u007F", "\u0080 \u009F", " \r\n ", "\u00A0",
            "\u00A0\u2007\u202F", "\u3000"})
    void givenTextEmptyAfterSanitising_whenSanitising_thenBadRequest(String raw) {
        Validated<MessageText> text = MessageText.sanitize(raw, LIMITS);

        assertThat(codeOf(text)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(text)).contains("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD800", "hi \uD83D there", "\uDE00", "ok\uD83D\uDE00\uDE00", "\uD83D\u0000\uDE00"})
    void given_unpaired_surrogate_when_sanitising_then_bad_request(String raw) {
        Validated<MessageText> text = MessageText.sanitize(raw, LIMITS);

        assertThat(codeOf(text)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(text)).contains("surrogate");
    }

    @Test
    void given_unpaired_surrogate_in_text_over_the_limit_when_sanitising_then_bad_request_not_too_large() {
        assertThat(codeOf(MessageText.sanitize("a".repeat(5000) + "\uD800", LIMITS)))
                .isEqualTo(Violation.MALFORMED);
    }

    @Test
    void given_exactly_4000_code_points_when_sanitising_then_valid() {
        String raw = "a".repeat(4000);

        assertThat(MessageText.sanitize(raw, LIMITS).value().value()).isEqualTo(raw);
    }

    @Test
    void given_4001_code_points_when_sanitising_then_too_large() {
        Validated<MessageText> text = MessageText.sanitize("a".repeat(4001), LIMITS);

        assertThat(codeOf(text)).isEqualTo(Violation.TOO_LARGE);
        assertThat(messageOf(text)).contains("4001").contains("4000");
    }

    @Test
    void given_4000_emoji_in_8000_chars_when_sanitising_then_valid_because_code_points_are_counted() {
        String raw = EMOJI.repeat(4000);

        Validated<MessageText> text = MessageText.sanitize(raw, LIMITS);

        assertThat(raw).hasSize(8000);
        assertThat(text.value().value()).isEqualTo(raw);
    }

    @Test
    void given_4001_emoji_when_sanitising_then_too_large() {
        assertThat(codeOf(MessageText.sanitize(EMOJI.repeat(4001), LIMITS))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void given_3999_letters_and_one_emoji_when_sanitising_then_valid_at_4000_code_points_in_4001_chars() {
        String raw = "a".repeat(3999) + EMOJI;

        assertThat(MessageText.sanitize(raw, LIMITS).value().value()).isEqualTo(raw);
    }

    @Test
    void given_text_over_the_limit_only_through_white_space_and_controls_when_sanitising_then_valid() {
        String body = "a".repeat(2000) + "\u0000".repeat(50) + "a".repeat(2000);

        Validated<MessageText> text = MessageText.sanitize(" ".repeat(100) + body + "\n".repeat(100), LIMITS);

        assertThat(text.value().value()).isEqualTo("a".repeat(4000));
    }

    @Test
    void given_smaller_configured_limit_when_sanitising_then_that_limit_applies() {
        Limits limits = new Limits(5, 8192, 16, 100, 10, 10_000, 50, 100);

        assertThat(MessageText.sanitize("12345", limits).isValid()).isTrue();
        assertThat(codeOf(MessageText.sanitize("123456", limits))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void given_empty_or_missing_value_when_constructing_then_refused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageText(""));
        assertThatNullPointerException().isThrownBy(() -> new MessageText(null));
    }

    @Test
    void given_text_when_printing_then_the_bare_value() {
        assertThat(new MessageText("hi")).hasToString("hi");
    }
}
