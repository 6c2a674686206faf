package dev.parley.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The current connection: its generation (one per attempt; stale callbacks compare it), its
 * state, and its java.net.http WebSocket, which sends text frames one at a time and hands what
 * arrives to the loop thread. Loop thread only, but for {@link #state()}.
 */
final class Connection {
    /** What a socket reports, on the loop thread, with the generation it was opened in. */
    interface Events {
        /** The handshake succeeded. */
        void opened(long gen, WebSocket ws);

        /** The attempt ended: {@code error} null when it succeeded. */
        void handshakeDone(long gen, WebSocket ws, Throwable error);

        void text(long gen, String frame);

        void closed(long gen, int code, String reason);
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final Threads threads;
    private volatile ConnectionState state = ConnectionState.IDLE;
    private long generation;
    private WebSocket socket;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private long lastSentMillis;

    Connection(URI endpoint, Optional<String> devUser, Optional<String> devName, Threads threads) {
        this.uri = connectUri(endpoint, devUser, devName);
        this.threads = threads;
    }

    private static URI connectUri(URI endpoint, Optional<String> devUser, Optional<String> devName) {
        if (devUser.isEmpty() && devName.isEmpty()) {
            return endpoint;
        }
        StringBuilder query = new StringBuilder();
        devUser.ifPresent(u -> query.append("user=").append(URLEncoder.encode(u, StandardCharsets.UTF_8)));
        devName.ifPresent(n -> query.append(query.length() > 0 ? "&" : "").append("name=")
                .append(URLEncoder.encode(n, StandardCharsets.UTF_8)));
        String base = endpoint.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    ConnectionState state() {
        return state;
    }

    void state(ConnectionState next) {
        state = next;
    }

    boolean connected() {
        return state == ConnectionState.CONNECTED;
    }

    long generation() {
        return generation;
    }

    /** Makes every callback of the connections before stale. */
    void nextGeneration() {
        generation++;
    }

    /** Opens a WebSocket for the current generation; {@code events} hears of it. */
    void open(String token, Events events) {
        long gen = generation;
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.buildAsync(uri, new SocketListener(gen, events))
                .whenComplete((ws, error) -> threads.onLoop(() -> events.handshakeDone(gen, ws, error)));
    }

    void attach(WebSocket ws) {
        socket = ws;
        sendChain = CompletableFuture.completedFuture(null);
    }

    void detach() {
        socket = null;
    }

    /** The open socket, or null. */
    WebSocket socket() {
        return socket;
    }

    void send(ObjectNode frame) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        String text = frame.toString();
        lastSentMillis = Threads.now();
        // java.net.http allows one outstanding send: chain them, and keep the chain alive after a failure.
        sendChain = sendChain.handle((ignored, error) -> null).thenCompose(ignored -> ws.sendText(text, true));
    }

    long lastSentMillis() {
        return lastSentMillis;
    }

    /** The HTTP status of a refused handshake, or -1 when it never got one. */
    static int handshakeStatus(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException) {
                return ((WebSocketHandshakeException) t).getResponse().statusCode();
            }
        }
        return -1;
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** The listener java.net.http calls; it hands everything to the loop thread. */
    private final class SocketListener implements WebSocket.Listener {
        private final long gen;
        private final Events events;
        private final StringBuilder text = new StringBuilder();

        SocketListener(long gen, Events events) {
            this.gen = gen;
            this.events = events;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            threads.onLoop(() -> events.opened(gen, webSocket));
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                threads.onLoop(() -> events.text(gen, frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            threads.onLoop(() -> events.closed(gen, statusCode, reason == null ? "" : reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            threads.onLoop(() -> events.closed(gen, 1006, "connection lost: " + rootMessage(error)));
        }
    }
}
