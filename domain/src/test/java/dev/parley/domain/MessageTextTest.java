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
    void givenTextWithControlsAndOuterWhiteSpace_whenSanitising_thenCleanedText() {
        Validated<MessageText> text = MessageText.sanitize("  hello\u0000 world\r\n\u007F ", LIMITS);

        assertThat(text.value().value()).isEqualTo("hello world");
    }

    @Test
    void givenMultiLineText_whenSanitising_thenNewlinesAndTabsKeptCarriageReturnsRemoved() {
        assertThat(MessageText.sanitize("a\r\n\tb", LIMITS).value().value()).isEqualTo("a\n\tb");
    }

    @Test
    void givenNoText_whenSanitising_thenBadRequest() {
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
    void givenUnpairedSurrogate_whenSanitising_thenBadRequest(String raw) {
        Validated<MessageText> text = MessageText.sanitize(raw, LIMITS);

        assertThat(codeOf(text)).isEqualTo(Violation.MALFORMED);
        assertThat(messageOf(text)).contains("surrogate");
    }

    @Test
    void givenUnpairedSurrogateInTextOverTheLimit_whenSanitising_thenBadRequestNotTooLarge() {
        assertThat(codeOf(MessageText.sanitize("a".repeat(5000) + "\uD800", LIMITS)))
                .isEqualTo(Violation.MALFORMED);
    }

    @Test
    void givenExactly4000CodePoints_whenSanitising_thenValid() {
        String raw = "a".repeat(4000);

        assertThat(MessageText.sanitize(raw, LIMITS).value().value()).isEqualTo(raw);
    }

    @Test
    void given4001CodePoints_whenSanitising_thenTooLarge() {
        Validated<MessageText> text = MessageText.sanitize("a".repeat(4001), LIMITS);

        assertThat(codeOf(text)).isEqualTo(Violation.TOO_LARGE);
        assertThat(messageOf(text)).contains("4001").contains("4000");
    }

    @Test
    void given4000EmojiIn8000Chars_whenSanitising_thenValidBecauseCodePointsAreCounted() {
        String raw = EMOJI.repeat(4000);

        Validated<MessageText> text = MessageText.sanitize(raw, LIMITS);

        assertThat(raw).hasSize(8000);
        assertThat(text.value().value()).isEqualTo(raw);
    }

    @Test
    void given4001Emoji_whenSanitising_thenTooLarge() {
        assertThat(codeOf(MessageText.sanitize(EMOJI.repeat(4001), LIMITS))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void given3999LettersAndOneEmoji_whenSanitising_thenValidAt4000CodePointsIn4001Chars() {
        String raw = "a".repeat(3999) + EMOJI;

        assertThat(MessageText.sanitize(raw, LIMITS).value().value()).isEqualTo(raw);
    }

    @Test
    void givenTextOverTheLimitOnlyThroughWhiteSpaceAndControls_whenSanitising_thenValid() {
        String body = "a".repeat(2000) + "\u0000".repeat(50) + "a".repeat(2000);

        Validated<MessageText> text = MessageText.sanitize(" ".repeat(100) + body + "\n".repeat(100), LIMITS);

        assertThat(text.value().value()).isEqualTo("a".repeat(4000));
    }

    @Test
    void givenSmallerConfiguredLimit_whenSanitising_thenThatLimitApplies() {
        Limits limits = new Limits(5, 8192, 16, 100, 10, 10_000, 50, 100);

        assertThat(MessageText.sanitize("12345", limits).isValid()).isTrue();
        assertThat(codeOf(MessageText.sanitize("123456", limits))).isEqualTo(Violation.TOO_LARGE);
    }

    @Test
    void givenEmptyOrMissingValue_whenConstructing_thenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MessageText(""));
        assertThatNullPointerException().isThrownBy(() -> new MessageText(null));
    }

    @Test
    void givenText_whenPrinting_thenTheBareValue() {
        assertThat(new MessageText("hi")).hasToString("hi");
    }
}
