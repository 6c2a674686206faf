package dev.parley.adapters.websocket.wire;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server's side of the opening handshake (RFC 6455 section 4.2): checks the request, answers
 * 101 with {@code Sec-WebSocket-Accept}, and hands the upgraded connection over as a
 * {@link WireSocket}. A request that is not a WebSocket handshake gets 400; another protocol
 * version 426 with the version this server speaks. No extension and no subprotocol is agreed.
 */
public final class WebSocketHandshake implements HttpHandler {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Where an upgraded socket goes, on its IO thread, with the handshake's exchange still readable. */
    @FunctionalInterface
    public interface Opened {
        void onOpen(HttpServerExchange handshake, WireSocket socket);
    }

    private final Opened opened;
    private final int maxMessageBytes;
    /** Each IO thread's read buffer: room for one incomplete frame and one more read. */
    private final ThreadLocal<ByteBuffer> readBuffers;

    public WebSocketHandshake(Opened opened, int maxMessageBytes) {
        this.opened = opened;
        this.maxMessageBytes = maxMessageBytes;
        int capacity = 2 * (maxMessageBytes + FrameReader.MAX_HEADER);
        this.readBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(capacity));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equals(Methods.GET) || !hasToken(exchange, Headers.UPGRADE_STRING, "websocket")
                || !hasToken(exchange, Headers.CONNECTION_STRING, "upgrade")) {
            refuse(exchange, StatusCodes.BAD_REQUEST, "not a WebSocket handshake: GET with Upgrade: websocket");
            return;
        }
        if (!"13".equals(exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_VERSION))) {
            exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_VERSION, "13");
            refuse(exchange, StatusCodes.UPGRADE_REQUIRED, "this server speaks WebSocket version 13");
            return;
        }
        String key = exchange.getRequestHeaders().getFirst(Headers.SEC_WEB_SOCKET_KEY);
        if (!isKey(key)) {
            refuse(exchange, StatusCodes.BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64");
            return;
        }
        exchange.getResponseHeaders().put(Headers.UPGRADE, "websocket");
        exchange.getResponseHeaders().put(Headers.SEC_WEB_SOCKET_ACCEPT, accept(key.trim()));
        exchange.upgradeChannel((connection, upgraded) ->
                opened.onOpen(upgraded, new WireSocket(connection, maxMessageBytes, readBuffers)));
        exchange.endExchange();
    }

    private static boolean hasToken(HttpServerExchange exchange, String header, String token) {
        HeaderValues values = exchange.getRequestHeaders().get(header);
        if (values == null) {
            return false;
        }
        for (String value : values) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isKey(String key) {
        if (key == null) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key.trim()).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code base64(SHA-1(key + GUID))}: proof that this server read the handshake. */
    static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    private static void refuse(HttpServerExchange exchange, int status, String reason) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(reason + "\n");
    }
}
