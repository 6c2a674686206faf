/** Who may open /ws: token checks (JWT or insecure-dev) and the origin policy. */
package dev.parley.adapters.websocket.auth;
