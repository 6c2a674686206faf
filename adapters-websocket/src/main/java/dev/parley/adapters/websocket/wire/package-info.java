/**
 * The WebSocket protocol (RFC 6455) on a connection Undertow has upgraded: the handshake's
 * checks and answer, client frames read and checked as bytes arrive, server frames written with
 * gathering writes. It keeps per socket only what an idle connection needs.
 */
package dev.parley.adapters.websocket.wire;
