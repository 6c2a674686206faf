package dev.parley.domain;

import java.util.Objects;

/** A user as other members see them: an id and a display name. */
public record User(UserId id, String name) {
    public static final int MAX_NAME_CODE_POINTS = 64;
    /** The sender of messages published through the HTTP API. */
    public static final User SYSTEM = new User(UserId.of("system"), "system");

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CODE_POINTS) {
            throw new IllegalArgumentException("display name must be 1 to " + MAX_NAME_CODE_POINTS + " code points");
        }
    }

    /**
     * A user whose display name comes from untrusted input: control characters removed,
     * trimmed, cut to the limit, and the id when nothing is left.
     */
    public static User withDisplayName(UserId id, String displayName) {
        String cleaned = displayName == null ? "" : TextSanitizer.stripControlAndTrim(displayName);
        if (cleaned.isEmpty()) {
            cleaned = id.value();
        }
        if (cleaned.codePointCount(0, cleaned.length()) > MAX_NAME_CODE_POINTS) {
            // trimmed again: the cut may end just after white space
            cleaned = TextSanitizer.stripControlAndTrim(
                    cleaned.substring(0, cleaned.offsetByCodePoints(0, MAX_NAME_CODE_POINTS)));
        }
        return new User(id, cleaned);
    }

    public static User named(String id) {
        return withDisplayName(UserId.of(id), id);
    }
}
