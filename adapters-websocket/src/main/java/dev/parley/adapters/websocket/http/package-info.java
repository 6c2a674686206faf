/** The HTTP side: the listening socket and its request-head limits, security headers, TLS, and the operator API (/health, /metrics, /api). */
package dev.parley.adapters.websocket.http;
