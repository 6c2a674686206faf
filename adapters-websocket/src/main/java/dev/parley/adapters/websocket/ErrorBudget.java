package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.ErrorCode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Counts a connection's errors in a sliding window: past {@code maxErrors} within
 * {@code windowMillis} the connection is abusive and gets closed (1008). Only errors of the
 * client's making count: a rate-limit answer, a store outage ({@code unavailable}) or a bug of
 * ours ({@code internal}) does not, so a client retrying through an outage is never closed for
 * it. Not thread-safe.
 */
final class ErrorBudget {
    static final int PROTOCOL_MAX_ERRORS = 20;
    static final long PROTOCOL_WINDOW_MILLIS = 10_000;

    private final int maxErrors;
    private final long windowMillis;
    /** The times of the errors in the window; null until the first (most connections never err). */
    private Deque<Long> recent;

    ErrorBudget(int maxErrors, long windowMillis) {
        if (maxErrors < 1 || windowMillis < 1) {
            throw new IllegalArgumentException("maxErrors and windowMillis must be positive");
        }
        this.maxErrors = maxErrors;
        this.windowMillis = windowMillis;
    }

    static ErrorBudget protocolDefault() {
        return new ErrorBudget(PROTOCOL_MAX_ERRORS, PROTOCOL_WINDOW_MILLIS);
    }

    /** Records one error; true when this error exhausted the budget. */
    boolean spend(ErrorCode code, long nowMillis) {
        if (!isClientsFault(code)) {
            return false;
        }
        if (recent == null) {
            recent = new ArrayDeque<>();
        }
        while (!recent.isEmpty() && recent.peekFirst() <= nowMillis - windowMillis) {
            recent.pollFirst();
        }
        recent.addLast(nowMillis);
        return recent.size() > maxErrors;
    }

    private static boolean isClientsFault(ErrorCode code) {
        return code != ErrorCode.RATE_LIMITED && code != ErrorCode.UNAVAILABLE && code != ErrorCode.INTERNAL;
    }
}
