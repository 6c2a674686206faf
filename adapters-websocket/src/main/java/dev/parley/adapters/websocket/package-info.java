/**
 * The WebSocket and HTTP adapter (Undertow): the /ws endpoint, the JSON codec of docs/protocol.md, the handshake checks (JWT, Origin, limits), heartbeats, back-pressure, and the HTTP API (/health, /metrics, /api).
 */
package dev.parley.adapters.websocket;
