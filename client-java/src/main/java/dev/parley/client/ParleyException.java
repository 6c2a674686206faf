package dev.parley.client;

import java.util.OptionalLong;

/**
 * A request failed: the server answered {@code error} ({@link #code()} is its wire code, such as
 * {@code not_member}), or the client gave up on it ({@code closed}, {@code connection_lost},
 * {@code not_connected}, {@code outbox_full}).
 */
public final class ParleyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final transient OptionalLong retryAfterMs;

    public ParleyException(String code, String message) {
        this(code, message, OptionalLong.empty());
    }

    public ParleyException(String code, String message, OptionalLong retryAfterMs) {
        super(code + ": " + message);
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    public String code() {
        return code;
    }

    public OptionalLong retryAfterMs() {
        return retryAfterMs;
    }
}
