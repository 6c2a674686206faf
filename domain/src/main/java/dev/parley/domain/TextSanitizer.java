package dev.parley.domain;

/**
 * Cleans user text as docs/protocol.md section 7 says: C0 controls other than {@code \n} and
 * {@code \t} (so {@code \r} too), DEL and C1 controls are removed, then outer white space
 * is trimmed: white space in Unicode's sense, the no-break spaces U+00A0, U+2007 and U+202F
 * included, which {@link String#strip()} would keep.
 */
public final class TextSanitizer {
    private TextSanitizer() {
    }

    public static boolean isRemovedControl(int codePoint) {
        return (codePoint < 0x20 && codePoint != '\n' && codePoint != '\t')
                || codePoint == 0x7F
                || (codePoint >= 0x80 && codePoint <= 0x9F);
    }

    /** True when a high surrogate lacks its low half or a low one its high half. */
    public static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    public static String stripControlAndTrim(String text) {
        StringBuilder kept = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isRemovedControl(c)) {
                if (kept == null) {
                    kept = new StringBuilder(text.length()).append(text, 0, i);
                }
            } else if (kept != null) {
                kept.append(c);
            }
        }
        return trimWhiteSpace(kept == null ? text : kept.toString());
    }

    /** Unicode white space; every such character is in the BMP, so chars suffice. */
    private static boolean isWhiteSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String trimWhiteSpace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhiteSpace(text.charAt(start))) {
            start++;
        }
        while (end > start && isWhiteSpace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }
}
