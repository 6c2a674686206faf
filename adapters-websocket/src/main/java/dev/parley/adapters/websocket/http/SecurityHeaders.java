package dev.parley.adapters.websocket.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;

/**
 * The headers of every response (docs/protocol.md section 10), around the whole server:
 * {@code X-Content-Type-Options: nosniff} on all of them, and on HTML pages a
 * {@code Content-Security-Policy} that lets the page load scripts, styles and connections
 * (its WebSocket included) from its own origin only, and run no inline script.
 *
 * <p>nosniff is set before the request is handled, so that every answer has it whatever
 * handler writes it; both are set again just before the response is committed, when its
 * content type is known and whatever a handler did to the headers on the way is done.
 */
public final class SecurityHeaders implements HttpHandler {
    static final String NOSNIFF = "nosniff";
    static final String HTML_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "connect-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'");

    private final HttpHandler next;

    public SecurityHeaders(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        exchange.addResponseCommitListener(SecurityHeaders::beforeCommit);
        next.handleRequest(exchange);
    }

    private static void beforeCommit(HttpServerExchange exchange) {
        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.X_CONTENT_TYPE_OPTIONS, NOSNIFF);
        String type = headers.getFirst(Headers.CONTENT_TYPE);
        if (type != null && type.regionMatches(true, 0, "text/html", 0, "text/html".length())) {
            headers.put(Headers.CONTENT_SECURITY_POLICY, HTML_POLICY);
        }
    }
}
