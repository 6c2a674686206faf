package dev.parley.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A real WebSocket client over {@code java.net.http}: collects every JSON frame the server
 * sends, awaits frames matching a predicate, sends raw text or binary, reports the close code,
 * and can stop reading ({@link #pause()}): it then requests no more messages, so the JDK stops
 * reading the socket and TCP back-pressure reaches the server, as with a slow consumer.
 *
 * <p>Every frame goes through a {@link FrameCheck}: one this client sends must match
 * docs/asyncapi.yaml (or be sent with {@link #sendRaw(String)}, as meant to be invalid), and one
 * the server sends always must. A server frame that does not is recorded on the reading thread
 * and fails the test at its next await, {@link #received()}, close code or {@link #close()}.
 *
 * <p>Note that the JDK answers WebSocket pings by itself (once it has read them), so this
 * client is always "alive" while it reads; see {@link RawWebSocket} for one that is not.
 */
final class TestClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** Code reported when the connection ended without a close frame. */
    static final int NO_CLOSE_FRAME = 1006;

    private final Listener listener;
    private final WebSocket socket;
    private final FrameCheck check;
    private final AtomicInteger ids = new AtomicInteger();

    private TestClient(Listener listener, WebSocket socket) {
        this.listener = listener;
        this.socket = socket;
        this.check = listener.check;
    }

    // ---- connecting ------------------------------------------------------------------------

    static TestClient connect(int port, String token) {
        return connect(uri(port, ""), headers("Authorization", "Bearer " + token));
    }

    static TestClient connect(URI uri, Map<String, String> headers) {
        Listener listener = new Listener();
        try {
            WebSocket socket = builder(headers).buildAsync(uri, listener).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new TestClient(listener, socket);
        } catch (ExecutionException e) {
            throw new IllegalStateException("handshake failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("handshake did not finish", e);
        }
    }

    /**
     * Opens a handshake that is expected to be refused and returns the HTTP status of the
     * refusal; fails if the upgrade succeeds.
     */
    static int refusedStatus(URI uri, Map<String, String> headers) {
        return refusal(uri, headers).statusCode();
    }

    /** Like {@link #refusedStatus(URI, Map)}, with the whole HTTP answer (its headers). */
    static HttpResponse<?> refusal(URI uri, Map<String, String> headers) {
        Listener listener = new Listener();
        try {
            WebSocket socket = builder(headers).buildAsync(uri, listener).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            socket.abort();
            throw new AssertionError("the handshake to " + uri + " was accepted, not refused");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refusal) {
                return refusal.getResponse();
            }
            throw new AssertionError("the handshake failed without an HTTP answer: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("handshake did not finish", e);
        }
    }

    static int refusedStatus(int port, String token) {
        return refusedStatus(uri(port, ""), headers("Authorization", "Bearer " + token));
    }

    static URI uri(int port, String query) {
        return URI.create("ws://127.0.0.1:" + port + "/ws" + (query.isEmpty() ? "" : "?" + query));
    }

    static Map<String, String> headers(String... namesAndValues) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static WebSocket.Builder builder(Map<String, String> headers) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        return builder;
    }

    // ---- sending ---------------------------------------------------------------------------

    String nextId() {
        return "r" + ids.incrementAndGet();
    }

    /** Sends a frame that must match docs/asyncapi.yaml; fails at once if it does not. */
    TestClient send(String text) {
        check.sending(text);
        join(socket.sendText(text, true));
        return this;
    }

    /** Sends a frame that may be meant to be invalid: not JSON, an unknown type, a bad field. */
    TestClient sendRaw(String text) {
        check.sendingRaw(text);
        join(socket.sendText(text, true));
        return this;
    }

    /**
     * Sends, tolerating that the server closes the connection before the message is out (as it
     * does with one over the frame limit); true when it went out whole. Such frames are beyond
     * what a schema says, so this one is not judged either.
     */
    boolean trySend(String text) {
        check.sendingRaw(text);
        try {
            socket.sendText(text, true).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot send", e);
        }
    }

    TestClient sendBinary(byte[] bytes) {
        join(socket.sendBinary(ByteBuffer.wrap(bytes), true));
        return this;
    }

    /** Sends {@code {"type", "id", "payload"}} and returns the id. */
    String send(String type, String id, Object payload) {
        send(frame(type, id, payload));
        return id;
    }

    private static String frame(String type, String id, Object payload) {
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", type);
        if (id != null) {
            frame.put("id", id);
        }
        if (payload != null) {
            frame.set("payload", JSON.valueToTree(payload));
        }
        return frame.toString();
    }

    /** Sends a request with a fresh id and waits for its reply ({@code ack}, {@code error} or {@code pong}). */
    JsonNode request(String type, Object payload) {
        return reply(send(type, nextId(), payload));
    }

    /** {@link #request}, with a payload that may be meant to be invalid (see {@link #sendRaw(String)}). */
    JsonNode requestRaw(String type, Object payload) {
        String id = nextId();
        sendRaw(frame(type, id, payload));
        return reply(id);
    }

    /** A request that must be acknowledged: returns the ack's payload. */
    JsonNode ack(String type, Object payload) {
        JsonNode reply = request(type, payload);
        if (!reply.path("type").asText().equals("ack")) {
            throw new AssertionError("expected an ack to " + type + " " + payload + " but got " + reply);
        }
        return reply.get("payload");
    }

    JsonNode join(String room) {
        return ack("join_room", Map.of("room", room));
    }

    JsonNode joinSince(String room, long seq, String epoch) {
        return ack("join_room", Map.of("room", room, "since", Map.of("seq", seq, "epoch", epoch)));
    }

    JsonNode leave(String room) {
        return ack("leave_room", Map.of("room", room));
    }

    /** Sends a chat and returns its ack payload {room, seq, duplicate}. */
    JsonNode chat(String room, String text) {
        return ack("chat", Map.of("room", room, "text", text));
    }

    // ---- receiving -------------------------------------------------------------------------

    JsonNode welcome() {
        return await(frame -> type(frame).equals("welcome"));
    }

    JsonNode reply(String id) {
        return await(frame -> id.equals(frame.path("replyTo").asText(null)));
    }

    /** Waits for the first frame not taken yet that matches, takes it and returns it. */
    JsonNode await(Predicate<JsonNode> matching) {
        return listener.take(matching, TIMEOUT);
    }

    /** The next chat event of a room (a message, so its payload). */
    JsonNode awaitChat(String room) {
        return await(frame -> type(frame).equals("chat") && frame.path("payload").path("room").asText().equals(room))
                .get("payload");
    }

    /** Every frame received so far, taken or not, in arrival order. */
    List<JsonNode> received() {
        return listener.all();
    }

    /** The frames received so far of one type, in arrival order. */
    List<JsonNode> received(String type) {
        return received().stream().filter(frame -> type(frame).equals(type)).collect(Collectors.toList());
    }

    /** Seqs of the chat events of a room received so far, in arrival order. */
    List<Long> chatSeqs(String room) {
        return received("chat").stream().map(frame -> frame.get("payload"))
                .filter(message -> message.path("room").asText().equals(room))
                .map(message -> message.get("seq").asLong()).collect(Collectors.toList());
    }

    /** Waits until this client has received the chat of {@code room} with {@code seq}. */
    void awaitSeq(String room, long seq) {
        listener.waitFor(() -> chatSeqs(room).contains(seq), TIMEOUT, "chat " + room + "#" + seq);
    }

    int pingsReceived() {
        return listener.pings.get();
    }

    static String type(JsonNode frame) {
        return frame.path("type").asText();
    }

    // ---- flow control and closing ------------------------------------------------------------

    /**
     * Stops reading for good (until {@link #resume()}): no more messages are requested, so the
     * JDK reads nothing more from the socket, answers no ping and no close, and TCP
     * back-pressure reaches the server. One message was always requested already; a
     * {@code ping} makes sure it is spent before this returns.
     */
    void stopReading() {
        listener.pause();
        send("ping", nextId(), null);
        listener.waitFor(listener::isStalled, TIMEOUT, "a message after pausing");
    }

    /** Reads again, everything that piled up included. */
    void resume() {
        listener.resume();
    }

    /** Completes with the close code the server sent, or {@link #NO_CLOSE_FRAME} without one. */
    CompletableFuture<Integer> closed() {
        return listener.closeCode;
    }

    int awaitCloseCode() {
        try {
            int code = listener.closeCode.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            listener.assertFramesMatchDocument();
            return code;
        } catch (TimeoutException e) {
            throw new AssertionError("the connection was not closed within " + TIMEOUT + "; received "
                    + abbreviated(received()), e);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isOpen() {
        return !listener.closeCode.isDone() && !socket.isInputClosed();
    }

    String closeReason() {
        return listener.closeReason;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        socket.abort();
        listener.assertFramesMatchDocument();
    }

    private static void join(CompletableFuture<WebSocket> sent) {
        try {
            sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot send", e);
        }
    }

    static String abbreviated(List<JsonNode> frames) {
        String all = frames.toString();
        return all.length() <= 4000 ? all : all.substring(0, 2000) + " ... " + all.substring(all.length() - 2000);
    }

    private static final class Listener implements WebSocket.Listener {
        private final FrameCheck check = new FrameCheck(AsyncApiDocument.parley());
        private final List<String> violations = new ArrayList<>();
        private final List<JsonNode> all = new ArrayList<>();
        private final List<JsonNode> untaken = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final AtomicInteger pings = new AtomicInteger();
        private volatile String closeReason = "";
        private WebSocket socket;
        private boolean paused;
        private boolean stalled;

        @Override
        public void onOpen(WebSocket webSocket) {
            synchronized (this) {
                socket = webSocket;
            }
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonNode frame;
                try {
                    frame = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    frame = JSON.createObjectNode().put("type", "<not json>").put("text", text);
                }
                Optional<String> violation = check.received(text);
                synchronized (this) {
                    violation.ifPresent(violations::add);
                    all.add(frame);
                    untaken.add(frame);
                    notifyAll();
                }
            }
            next(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            synchronized (this) {
                all.add(JSON.createObjectNode().put("type", "<binary>"));
                notifyAll();
            }
            next(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            next(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            next(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closeCode.complete(statusCode);
            synchronized (this) {
                notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeReason = String.valueOf(error);
            closeCode.complete(NO_CLOSE_FRAME);
            synchronized (this) {
                notifyAll();
            }
        }

        private void next(WebSocket webSocket) {
            synchronized (this) {
                if (paused) {
                    stalled = true;
                    notifyAll();
                    return;
                }
            }
            webSocket.request(1);
        }

        synchronized void pause() {
            paused = true;
        }

        synchronized boolean isStalled() {
            return stalled;
        }

        void resume() {
            WebSocket toRequest = null;
            synchronized (this) {
                paused = false;
                if (stalled) {
                    stalled = false;
                    toRequest = socket;
                }
            }
            if (toRequest != null) {
                toRequest.request(1);
            }
        }

        synchronized List<JsonNode> all() {
            assertFramesMatchDocument();
            return List.copyOf(all);
        }

        /** Fails (every time, so that no later call hides it) once a server frame did not match. */
        synchronized void assertFramesMatchDocument() {
            if (!violations.isEmpty()) {
                throw new AssertionError(String.join("\n", violations));
            }
        }

        synchronized JsonNode take(Predicate<JsonNode> matching, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                assertFramesMatchDocument();
                for (Iterator<JsonNode> it = untaken.iterator(); it.hasNext(); ) {
                    JsonNode frame = it.next();
                    if (matching.test(frame)) {
                        it.remove();
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching frame within " + timeout + "; closed="
                            + (closeCode.isDone() ? closeCode.join() + " " + closeReason : "no")
                            + "; received " + abbreviated(all));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }

        synchronized void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                assertFramesMatchDocument();
                if (condition.getAsBoolean()) {
                    return;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("never received " + what + " within " + timeout + "; received "
                            + abbreviated(all));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
