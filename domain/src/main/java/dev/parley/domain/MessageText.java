package dev.parley.domain;

import java.util.Objects;

/** The sanitised text of a chat message: 1 to {@link Limits#maxTextCodePoints()} code points. */
public record MessageText(String value) {
    public MessageText {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("message text must not be empty");
        }
    }

    /** Sanitises untrusted text and checks what is left against the limits. */
    public static Validated<MessageText> sanitize(String raw, Limits limits) {
        if (raw == null) {
            return Validated.invalid(Violation.MALFORMED, "text is required");
        }
        if (TextSanitizer.hasUnpairedSurrogate(raw)) {
            return Validated.invalid(Violation.MALFORMED, "text contains an unpaired surrogate");
        }
        String cleaned = TextSanitizer.stripControlAndTrim(raw);
        if (cleaned.isEmpty()) {
            return Validated.invalid(Violation.MALFORMED, "text is empty");
        }
        int codePoints = cleaned.codePointCount(0, cleaned.length());
        if (codePoints > limits.maxTextCodePoints()) {
            return Validated.invalid(Violation.TOO_LARGE,
                    "text has " + codePoints + " code points; the limit is " + limits.maxTextCodePoints());
        }
        return Validated.valid(new MessageText(cleaned));
    }

    @Override
    public String toString() {
        return value;
    }
}
