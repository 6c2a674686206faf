package dev.parley.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Starting the real server and talking HTTP to it, shared by the end-to-end tests. */
final class E2E {
    static final String NODE = "e2e-node";
    static final String ADMIN_KEY = "e2e-admin-key";
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private E2E() {
    }

    /**
     * The configuration the command line would make of these flags, after the test defaults:
     * any free port, HS256 with {@link Tokens#SECRET}, a fixed node id and an admin key. A flag
     * given again in {@code flags} wins (picocli keeps the last).
     */
    static ParleyConfig config(String... flags) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--jwt-secret", Tokens.SECRET,
                "--node-id", NODE, "--admin-key", ADMIN_KEY));
        args.addAll(Arrays.asList(flags));
        return ParleyConfig.fromArgs(args.toArray(String[]::new));
    }

    static RunningServer start(String... flags) {
        return RunningServer.start(config(flags));
    }

    /** A user id no other test uses, so that presence and per-user limits never mix between tests. */
    static String user(String name) {
        return name + "-" + NAMES.incrementAndGet();
    }

    static String room(String name) {
        return name + "-" + NAMES.incrementAndGet();
    }

    static HttpResponse<String> get(int port, String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET(), headers);
    }

    /** A GET whose body is kept as the bytes that came. */
    static HttpResponse<byte[]> getBytes(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<String> post(int port, String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    static HttpResponse<String> delete(int port, String path, String... headers) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).DELETE(), headers);
    }

    static String[] admin() {
        return new String[] {"Authorization", "Bearer " + ADMIN_KEY};
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, String... headers) {
        return send(request, HttpResponse.BodyHandlers.ofString(), headers);
    }

    private static <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body,
                                            String... headers) {
        request.timeout(TestClient.TIMEOUT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(request.build(), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return TestClient.JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        return json(response.body());
    }
}
