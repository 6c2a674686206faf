package dev.parley.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * A user as other members see them: an id, a display name, and optionally what a front door
 * tells about them beside the name ({@code info}, a JSON text the core passes on unread, as
 * the Pusher protocol's {@code user_info}).
 */
public record User(UserId id, String name, Optional<String> info) {
    public static final int MAX_NAME_CODE_POINTS = 64;
    public static final int MAX_INFO_CHARS = 8 * 1024;
    /** The sender of messages published through the HTTP API. */
    public static final User SYSTEM = new User(UserId.of("system"), "system");

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(info, "info");
        if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_CODE_POINTS) {
            throw new IllegalArgumentException("display name must be 1 to " + MAX_NAME_CODE_POINTS + " code points");
        }
        if (info.isPresent() && (info.get().isEmpty() || info.get().length() > MAX_INFO_CHARS)) {
            throw new IllegalArgumentException("info must be 1 to " + MAX_INFO_CHARS + " characters");
        }
    }

    public User(UserId id, String name) {
        this(id, name, Optional.empty());
    }

    public User withInfo(Optional<String> newInfo) {
        return new User(id, name, newInfo);
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
