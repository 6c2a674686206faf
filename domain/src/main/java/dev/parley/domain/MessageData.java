package dev.parley.domain;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Application fields attached to a message: one JSON object, kept as its compact JSON text
 * so that every store and codec passes it through unchanged.
 */
public record MessageData(String json) {
    public MessageData {
        Objects.requireNonNull(json, "json");
        if (!json.startsWith("{") || !json.endsWith("}")) {
            throw new IllegalArgumentException("data must be a JSON object");
        }
    }

    /**
     * Checks the size and nesting depth of a JSON object's compact text. The caller has
     * parsed it already; this only applies the limits.
     */
    public static Validated<MessageData> parse(String compactJson, Limits limits) {
        if (compactJson == null || !compactJson.startsWith("{") || !compactJson.endsWith("}")) {
            return Validated.invalid(Violation.MALFORMED, "data must be a JSON object");
        }
        // NUL cannot be stored by every history store (PostgreSQL's jsonb refuses it).
        if (compactJson.contains("\\u0000") || compactJson.indexOf('\u0000') >= 0) {
            return Validated.invalid(Violation.MALFORMED, "data must not contain the NUL character");
        }
        int bytes = compactJson.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxDataBytes()) {
            return Validated.invalid(Violation.TOO_LARGE,
                    "data has " + bytes + " bytes; the limit is " + limits.maxDataBytes());
        }
        int depth = nestingDepth(compactJson);
        if (depth > limits.maxDataDepth()) {
            return Validated.invalid(Violation.TOO_LARGE,
                    "data is nested " + depth + " deep; the limit is " + limits.maxDataDepth());
        }
        return Validated.valid(new MessageData(compactJson));
    }

    /** The deepest nesting of objects and arrays, skipping brackets inside strings. */
    static int nestingDepth(String json) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }
}
