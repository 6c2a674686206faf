/**
 * The Java client of Parley (java.net.http.WebSocket + Jackson): reconnects with backoff, rejoins from its last positions, keeps an outbox until acked. Filled by the clients issue.
 */
package dev.parley.client;
