package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The requests sent on the current connection that wait for their answer, by id. Loop thread only. */
final class Requests {
    /** The wait before a retry when the server's answer gives no {@code retryAfterMs}. */
    private static final long DEFAULT_RETRY_MS = 1_000;

    private final Threads threads;
    private final Connection connection;
    private final Map<String, CompletableFuture<JsonNode>> pending = new HashMap<>();

    Requests(Threads threads, Connection connection) {
        this.threads = threads;
        this.connection = connection;
    }

    /** The answers that are worth the same request again, later (docs/protocol.md section 9). */
    static boolean retryable(ParleyException error) {
        return error.code().equals("unavailable") || error.code().equals("rate_limited");
    }

    static long retryDelayMillis(ParleyException error) {
        return error.retryAfterMs().orElse(DEFAULT_RETRY_MS);
    }

    /** A request on the current connection; its future completes on the loop thread. */
    CompletableFuture<JsonNode> send(String type, ObjectNode payload) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (!connection.connected()) {
            answer.completeExceptionally(new ParleyException("not_connected", "not connected"));
            return answer;
        }
        String id = Frames.newId();
        pending.put(id, answer);
        connection.send(Frames.request(type, id, payload));
        return answer;
    }

    /** A request from an application thread: answered on the callback thread. */
    CompletableFuture<JsonNode> sendFromOutside(String type, ObjectNode payload) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        threads.onLoop(() -> send(type, payload).whenComplete((ack, error) -> {
            if (error == null) {
                threads.complete(result, ack);
            } else {
                threads.fail(result, error);
            }
        }), result);
        return result;
    }

    /** Completes the request that {@code replyTo} answers; false when there is none. */
    boolean answer(String replyTo, String type, JsonNode payload) {
        CompletableFuture<JsonNode> request = pending.remove(replyTo);
        if (request == null) {
            return false;
        }
        if (type.equals("error")) {
            request.completeExceptionally(Frames.error(payload));
        } else {
            request.complete(payload);
        }
        return true;
    }

    /** The connection is gone: every request on it fails with {@code connection_lost}. */
    void connectionLost() {
        List<CompletableFuture<JsonNode>> lost = new ArrayList<>(pending.values());
        pending.clear();
        for (CompletableFuture<JsonNode> request : lost) {
            request.completeExceptionally(new ParleyException("connection_lost", "the connection was lost"));
        }
    }
}
