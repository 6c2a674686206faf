package dev.parley.domain;

/** Character checks shared by the identifier value types. */
final class Identifiers {
    private Identifiers() {
    }

    static boolean isWordChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    static boolean isRoomChar(char c) {
        return isWordChar(c) || c == '.' || c == ':';
    }

    /** No control, space or unpaired surrogate characters: what a user id from a token may contain. */
    static boolean isVisible(String s) {
        return s.codePoints().noneMatch(cp -> Character.isISOControl(cp) || Character.isWhitespace(cp)
                || Character.isSpaceChar(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE));
    }
}
