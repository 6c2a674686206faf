package dev.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Pusher protocol 7 client over {@code java.net.http}, for the Java end-to-end tests: it keeps
 * every event the server sends (with {@code data} parsed when it is a JSON string) and signs
 * subscriptions, sign-ins and HTTP API calls as the Pusher libraries do. The real clients
 * (pusher-js, Laravel Echo, the {@code pusher} SDK) are tested from client-js.
 *
 * <p>Every frame goes through a {@link FrameCheck} on docs/asyncapi-pusher.yaml: one this client
 * sends must match it (or be sent with {@link #sendRaw(String)}, as meant to be invalid), and one
 * the server sends always must. A server frame that does not is recorded on the reading thread
 * and fails the test at its next await, {@link #events}, {@link #all}, close code or
 * {@link #close()}.
 */
final class PusherTestSocket implements AutoCloseable {
    static final String APP_ID = "test-app";
    static final String KEY = "test-key";
    static final String SECRET = "test-secret-of-enough-bytes";
    static final String[] FLAGS = {"--pusher-app-id", APP_ID, "--pusher-key", KEY, "--pusher-secret", SECRET};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final FrameCheck check = new FrameCheck(AsyncApiDocument.pusher());
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private PusherTestSocket(int port, String key, String protocol) {
        try {
            this.socket = HTTP.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + port + "/app/" + key + "?protocol=" + protocol
                            + "&client=java-test&version=1.0"), new Listener()).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open a Pusher socket: " + e, e);
        }
    }

    static PusherTestSocket open(int port) {
        return new PusherTestSocket(port, KEY, "7");
    }

    static PusherTestSocket open(int port, String key, String protocol) {
        return new PusherTestSocket(port, key, protocol);
    }

    /** The socket id of {@code connection_established}, once it came. */
    String socketId() {
        return await("pusher:connection_established", null).path("data").path("socket_id").asText();
    }

    void send(String event, Object data, String channel) {
        Map<String, Object> frame = new TreeMap<>();
        frame.put("event", event);
        frame.put("data", data);
        if (channel != null) {
            frame.put("channel", channel);
        }
        String text;
        try {
            text = JSON.writeValueAsString(frame);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the frame", e);
        }
        check.sending(text);
        transmit(text);
    }

    /** Sends a frame that may be meant to be invalid (not JSON, an unknown event, a bad channel name): not judged. */
    void sendRaw(String text) {
        check.sendingRaw(text);
        transmit(text);
    }

    private void transmit(String text) {
        try {
            socket.sendText(text, true).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot send", e);
        }
    }

    /** Fails when the server sent a frame that does not match docs/asyncapi-pusher.yaml. */
    void assertConforming() {
        if (!violations.isEmpty()) {
            throw new AssertionError(String.join("\n", violations));
        }
    }

    /** Subscribes with a valid signature for the channel's kind ({@code member} is a presence channel's channel_data). */
    void subscribe(String channel, String member) {
        String socketId = socketId();
        Map<String, Object> data = new TreeMap<>();
        data.put("channel", channel);
        if (channel.startsWith("private-") || channel.startsWith("presence-")) {
            data.put("auth", KEY + ":" + sign(socketId + ":" + channel + (member == null ? "" : ":" + member)));
        }
        if (member != null) {
            data.put("channel_data", member);
        }
        send("pusher:subscribe", data, null);
    }

    /** Signs the user in ({@code userData} is the JSON of the user, with its {@code id}) with a valid signature. */
    void signIn(String userData) {
        String socketId = socketId();
        send("pusher:signin", Map.of("user_data", userData,
                "auth", KEY + ":" + sign(socketId + "::user::" + userData)), null);
        await("pusher:signin_success", null);
    }

    /** Waits for the first event of this name (and channel, when given) and returns it. */
    JsonNode await(String event, String channel) {
        return await(frame -> frame.path("event").asText().equals(event)
                && (channel == null || channel.equals(frame.path("channel").asText(null))));
    }

    JsonNode await(Predicate<JsonNode> matching) {
        assertConforming();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (JsonNode event : events) {
                if (matching.test(event)) {
                    assertConforming();
                    return event;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching event within 20 s; got " + events);
    }

    List<JsonNode> events(String event) {
        assertConforming();
        return events.stream().filter(frame -> frame.path("event").asText().equals(event)).collect(Collectors.toList());
    }

    /** The close code the server sent, once it closed. */
    int awaitCloseCode() {
        int code;
        try {
            code = closed.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not close within 20 s", e);
        }
        assertConforming();
        return code;
    }

    boolean isClosed() {
        return closed.isDone();
    }

    static String sign(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A signed HTTP API call as the SDKs make it; {@code timestamp} lets a test send a stale one. */
    static HttpResponse<String> api(int port, String method, String resource, String body, Map<String, String> query,
                                    long timestamp) {
        try {
            Map<String, String> parameters = new TreeMap<>(query);
            parameters.put("auth_key", KEY);
            parameters.put("auth_timestamp", Long.toString(timestamp));
            parameters.put("auth_version", "1.0");
            if (body != null && !query.containsKey("body_md5")) {
                parameters.put("body_md5", HexFormat.of().formatHex(
                        MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8))));
            }
            String path = "/apps/" + APP_ID + "/" + resource;
            String canonical = parameters.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("&"));
            String signature = sign(method + "\n" + path + "\n" + canonical);
            URI uri = URI.create("http://127.0.0.1:" + port + path + "?" + canonical + "&auth_signature=" + signature);
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> api(int port, String method, String resource, String body) {
        return api(port, method, resource, body, Map.of(), Instant.now().getEpochSecond());
    }

    static String trigger(String channel, String name, String data) {
        try {
            return JSON.writeValueAsString(Map.of("channel", channel, "name", name, "data", data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        socket.abort();
        assertConforming();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                check.received(partial.toString()).ifPresent(violations::add);
                try {
                    JsonNode frame = JSON.readTree(partial.toString());
                    JsonNode payload = frame.get("data");
                    if (payload != null && payload.isTextual()) {
                        try {
                            JsonNode parsed = JSON.readTree(payload.textValue());
                            if (parsed != null && parsed.isContainerNode()) {
                                ((com.fasterxml.jackson.databind.node.ObjectNode) frame).set("data", parsed);
                            }
                        } catch (Exception notJson) {
                            // an event's data may be any text
                        }
                    }
                    events.add(frame);
                } catch (Exception e) {
                    events.add(JSON.createObjectNode().put("event", "unparsable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }

    /** Every frame kept so far, for a test's own checks. */
    List<JsonNode> all() {
        assertConforming();
        return new ArrayList<>(events);
    }
}
