package dev.parley.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Random text mixing controls, white space of every kind, visible BMP and supplementary characters. */
class TextSanitizerPropertiesTest {
    private static final int[] WHITE_SPACE = {' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x1C, 0x1F, 0x85, 0xA0, 0x1680,
            0x2000, 0x2007, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};

    static String text(SplittableRandom random, int size) {
        int length = random.nextInt(size + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            if (kind < 2) {
                text.appendCodePoint(random.nextBoolean() ? random.nextInt(0x20) : 0x7F + random.nextInt(0x21));
            } else if (kind < 5) {
                text.appendCodePoint(WHITE_SPACE[random.nextInt(WHITE_SPACE.length)]);
            } else if (kind < 7) {
                text.appendCodePoint(0x21 + random.nextInt(0x5E));
            } else if (kind < 8) {
                text.appendCodePoint(0xA1 + random.nextInt(0xD800 - 0xA1));
            } else if (kind < 9) {
                text.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000 + 1));
            } else {
                text.append((char) (0xD800 + random.nextInt(0x800)));
            }
        }
        return text.toString();
    }

    /** White space in Unicode's sense (the White_Space property), not only in {@link Character#isWhitespace}'s. */
    private static boolean isWhiteSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    @Test
    void given_any_text_when_sanitised_then_no_removed_control_is_left() {
        PropertyCheck.forAll(3_000, 60, TextSanitizerPropertiesTest::text, raw ->
                assertThat(TextSanitizer.stripControlAndTrim(raw).codePoints()
                        .filter(TextSanitizer::isRemovedControl).toArray()).isEmpty());
    }

    @Test
    void given_any_text_when_sanitised_then_no_white_space_at_either_end() {
        PropertyCheck.forAll(3_000, 60, TextSanitizerPropertiesTest::text, raw -> {
            String cleaned = TextSanitizer.stripControlAndTrim(raw);
            if (!cleaned.isEmpty()) {
                assertThat(isWhiteSpace(cleaned.codePointAt(0))).as("leading white space").isFalse();
                assertThat(isWhiteSpace(cleaned.codePointBefore(cleaned.length()))).as("trailing white space")
                        .isFalse();
            }
        });
    }

    @Test
    void given_any_text_when_sanitised_twice_then_second_pass_changes_nothing() {
        PropertyCheck.forAll(3_000, 60, TextSanitizerPropertiesTest::text, raw -> {
            String once = TextSanitizer.stripControlAndTrim(raw);

            assertThat(TextSanitizer.stripControlAndTrim(once)).isEqualTo(once);
        });
    }

    @Test
    void given_any_text_when_sanitised_then_every_visible_character_survives_in_order() {
        PropertyCheck.forAll(3_000, 60, TextSanitizerPropertiesTest::text, raw -> {
            String cleaned = TextSanitizer.stripControlAndTrim(raw);

            assertThat(visible(cleaned)).isEqualTo(visible(raw));
        });
    }

    private static String visible(String text) {
        StringBuilder kept = new StringBuilder();
        text.codePoints().filter(cp -> !TextSanitizer.isRemovedControl(cp) && !isWhiteSpace(cp))
                .forEach(kept::appendCodePoint);
        return kept.toString();
    }
}
