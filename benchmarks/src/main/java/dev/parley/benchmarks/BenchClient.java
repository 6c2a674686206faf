package dev.parley.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One load connection over {@code java.net.http}. Reads every frame it is sent, picks the
 * publish time out of chat texts ({@code "<nanoTime> padding"}) and ack ids, and queues its
 * own sends (java.net.http allows one outstanding send per socket).
 */
final class BenchClient implements WebSocket.Listener {
    private final LoadStats stats;
    private final StringBuilder partial = new StringBuilder();
    private final ArrayDeque<String> outbox = new ArrayDeque<>();
    private boolean sending;
    final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    final CompletableFuture<Void> joined = new CompletableFuture<>();
    private WebSocket socket;

    BenchClient(LoadStats stats) {
        this.stats = stats;
    }

    CompletableFuture<BenchClient> connect(HttpClient http, URI uri) {
        return http.newWebSocketBuilder().buildAsync(uri, this).thenApply(ws -> {
            socket = ws;
            return this;
        });
    }

    void join(String room) {
        send("{\"type\":\"join_room\",\"id\":\"join\",\"payload\":{\"room\":\"" + room + "\"}}");
    }

    /** A chat whose text starts with the send time, so receivers can measure latency. */
    void publish(String room, String padding, long sequence) {
        long now = System.nanoTime();
        stats.published.increment();
        send("{\"type\":\"chat\",\"id\":\"m" + now + "x" + sequence + "\",\"payload\":{\"room\":\"" + room
                + "\",\"text\":\"" + now + " " + padding + "\"}}");
    }

    void send(String frame) {
        synchronized (outbox) {
            if (sending) {
                outbox.add(frame);
                return;
            }
            sending = true;
        }
        transmit(frame);
    }

    private void transmit(String frame) {
        socket.sendText(frame, true).whenComplete((ws, failure) -> {
            String next;
            synchronized (outbox) {
                next = failure == null ? outbox.poll() : null;
                if (next == null) {
                    sending = false;
                    return;
                }
            }
            transmit(next);
        });
    }

    void close() {
        if (socket != null) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!last || partial.length() > 0) {
            partial.append(data);
            if (last) {
                handle(partial.toString());
                partial.setLength(0);
            }
        } else {
            handle(data.toString());
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String frame) {
        long now = System.nanoTime();
        if (frame.startsWith("{\"type\":\"chat\"")) {
            int text = frame.indexOf("\"text\":\"");
            if (text > 0) {
                stats.delivered(now - parseLong(frame, text + 8, ' '));
            }
        } else if (frame.startsWith("{\"type\":\"ack\"")) {
            int replyTo = frame.indexOf("\"replyTo\":\"") + 11;
            if (frame.charAt(replyTo) == 'm') {
                stats.acked(now - parseLong(frame, replyTo + 1, 'x'));
            } else {
                joined.complete(null);
            }
        } else if (frame.startsWith("{\"type\":\"welcome\"")) {
            welcomed.complete(null);
        } else if (frame.startsWith("{\"type\":\"error\"")) {
            int code = frame.indexOf("\"code\":\"") + 8;
            stats.error(frame.substring(code, frame.indexOf('"', code)));
        }
    }

    private static long parseLong(String s, int from, char end) {
        long value = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == end) {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        stats.closed(statusCode);
        welcomed.completeExceptionally(new IllegalStateException("closed " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        stats.closed(1006);
        welcomed.completeExceptionally(error);
    }
}
