package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextSanitizerTest {

    @Test
    void given_every_code_point_when_asking_if_removed_then_exactly_c0_but_tab_and_newline_and_del_and_c1() {
        List<Integer> removed = IntStream.rangeClosed(0, Character.MAX_CODE_POINT)
                .filter(TextSanitizer::isRemovedControl).boxed().toList();

        List<Integer> expected = IntStream.concat(
                IntStream.range(0x00, 0x20).filter(cp -> cp != '\t' && cp != '\n'),
                IntStream.rangeClosed(0x7F, 0x9F)).boxed().toList();
        assertThat(removed).isEqualTo(expected);
    }

    @Test
    void given_carriage_return_tab_and_newline_when_asking_if_removed_then_only_carriage_return_is() {
        assertThat(TextSanitizer.isRemovedControl('\r')).isTrue();
        assertThat(TextSanitizer.isRemovedControl('\t')).isFalse();
        assertThat(TextSanitizer.isRemovedControl('\n')).isFalse();
        assertThat(TextSanitizer.isRemovedControl(' ')).isFalse();
        assertThat(TextSanitizer.isRemovedControl(0xA0)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "\uD83D\uDE00", "a\uD83D\uDE00b\uD83D\uDE00", "\uD83D\uDE00\uD83D\uDE00"})
    void given_only_paired_surrogates_when_checking_then_no_unpaired_surrogate(String text) {
        assertThat(TextSanitizer.hasUnpairedSurrogate(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\uD83D", "\uDE00", "a\uD83Db", "a\uDE00b", "\uDE00\uD83D", "\uD83D\uDE00\uD83D",
            "\uD83D\uD83D\uDE00", "\uD83D\uDE00\uDE00"})
    void givenLoneHighOrLowSurrogate_whenChecking_thenUnpairedSurrogate(String text) {
        assertThat(TextSanitizer.hasUnpairedSurrogate(text)).isTrue();
    }

    static Stream<Arguments> rawAndSanitised() {
        return Stream.of(
                arguments("hello", "hello"),
                arguments("  hello  ", "hello"),
                arguments("\n\t hello \t\n", "hello"),
                arguments("a\u0000b", "ab"),
                arguments("line1\r\nline2", "line1\nline2"),
                arguments("tab\there", "tab\there"),
                arguments("\u007Fx\u007F", "x"),
                arguments("x\u0085y\u0080z\u009F", "xyz"),
                arguments("a  b", "a  b"),
                arguments(" \u0000 a \u0001 ", "a"),
                arguments("\u0001 \u0002 \u0003", ""),
                arguments("\r\n\u2003hi\u3000\u2028", "hi"),
                arguments("\u00A0\u2007 hi \u202F\u00A0", "hi"),
                arguments("\u00A0\u202F\u2007", ""),
                arguments("a\u00A0b", "a\u00A0b"),
                arguments("\uD83D\uDE00\u0000\uD83D\uDE00", "\uD83D\uDE00\uD83D\uDE00"));
    }

    @ParameterizedTest
    @MethodSource("rawAndSanitised")
    void given_text_when_sanitising_then_controls_removed_and_outer_white_space_trimmed(String raw, String expected) {
        assertThat(TextSanitizer.stripControlAndTrim(raw)).isEqualTo(expected);
    }
}
