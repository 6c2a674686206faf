/**
 * The Java client of Parley (java.net.http.WebSocket + Jackson): reconnects with backoff and
 * full jitter, rejoins every room from its last position, keeps an outbox of chats that are
 * re-sent with the same id until acknowledged, and detects dead connections with app-level
 * pings. Start at {@link dev.parley.client.ParleyClient}.
 */
package dev.parley.client;
