package dev.parley.client;

import java.time.Duration;

/**
 * A change of {@link ConnectionState}.
 *
 * @param closeCode the WebSocket close code that caused it (1006 when the connection just
 *                  dropped or could not be opened), or 0
 * @param reason    what happened, for people
 * @param retryIn   for {@code RECONNECTING}: the wait before the next attempt; else zero
 * @param attempt   for {@code RECONNECTING}: how many attempts have failed since the last stable connection
 */
public record ConnectionEvent(ConnectionState state, int closeCode, String reason, Duration retryIn, int attempt) {
}
