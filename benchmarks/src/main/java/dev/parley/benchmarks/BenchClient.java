package dev.parley.benchmarks;

import io.undertow.connector.ByteBufferPool;
import io.undertow.websockets.client.WebSocketClient;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.XnioWorker;

/**
 * One load connection over Undertow's WebSocket client (XNIO: several IO threads read in
 * parallel, so the generator does not serialise 1,000 deliveries of one message). Picks the
 * publish time out of chat texts ({@code "<nanoTime> padding"}) and ack ids. Speaks the
 * {@link Peer} it is given: Parley's protocol, or a peer of the comparison.
 */
final class BenchClient {
    private final LoadStats stats;
    private final Peer peer;
    final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    final CompletableFuture<Void> joined = new CompletableFuture<>();
    private volatile WebSocketChannel channel;

    BenchClient(LoadStats stats, Peer peer) {
        this.stats = stats;
        this.peer = peer;
    }

    CompletableFuture<BenchClient> connect(XnioWorker worker, ByteBufferPool buffers, URI uri) {
        CompletableFuture<BenchClient> connected = new CompletableFuture<>();
        WebSocketClient.connectionBuilder(worker, buffers, uri).connect().addNotifier(
                new IoFuture.HandlingNotifier<WebSocketChannel, Void>() {
                    @Override
                    public void handleDone(WebSocketChannel ws, Void attachment) {
                        channel = ws;
                        ws.getReceiveSetter().set(new Receiver());
                        ws.addCloseTask(closed -> welcomed.completeExceptionally(new IOException("closed")));
                        ws.resumeReceives();
                        if (peer == Peer.WS) {
                            // The bare ws server says nothing first: the upgrade is the welcome,
                            // and every connection is in its one room.
                            welcomed.complete(null);
                            joined.complete(null);
                        }
                        connected.complete(BenchClient.this);
                    }

                    @Override
                    public void handleFailed(IOException failure, Void attachment) {
                        connected.completeExceptionally(failure);
                    }
                }, null);
        return connected;
    }

    /** Joins {@code room}; a peer's connections are all in its one room already. */
    void join(String room) {
        if (peer != Peer.PARLEY) {
            return;
        }
        send("{\"type\":\"join_room\",\"id\":\"join\",\"payload\":{\"room\":\"" + room + "\"}}");
    }

    /** A chat whose text starts with the send time, so receivers can measure latency. */
    void publish(String room, String padding, long sequence) {
        long now = System.nanoTime();
        stats.published.increment();
        send(peer.chat(room, padding, now, sequence));
    }

    void send(String frame) {
        WebSockets.sendText(frame, channel, null);
    }

    void close() {
        WebSockets.sendClose(CloseMessage.NORMAL_CLOSURE, "done", channel, null);
    }

    void abort() {
        IoUtils.safeClose(channel);
    }

    private final class Receiver extends AbstractReceiveListener {
        @Override
        protected void onFullTextMessage(WebSocketChannel ws, BufferedTextMessage message) {
            handle(message.getData());
        }

        @Override
        protected void onCloseMessage(CloseMessage message, WebSocketChannel ws) {
            stats.closed(message.getCode());
        }
    }

    private void handle(String frame) {
        switch (peer) {
            case PARLEY -> handleParley(frame);
            case WS -> handleWs(frame);
            case SOCKETIO -> handleSocketIo(frame);
        }
    }

    private void handleWs(String frame) {
        long now = System.nanoTime();
        int text = frame.indexOf("\"text\":\"");
        if (text > 0) {
            stats.delivered(now - parseLong(frame, text + 8, ' '));
        }
    }

    /** Engine.IO v4 packets, one per WebSocket frame; Socket.IO packets inside message packets (4). */
    private void handleSocketIo(String frame) {
        long now = System.nanoTime();
        if (frame.startsWith("42[\"chat\",\"")) {
            stats.delivered(now - parseLong(frame, 11, ' '));
        } else if (frame.equals("2")) {
            send("3");
        } else if (frame.startsWith("40")) {
            welcomed.complete(null);
            joined.complete(null);
        } else if (frame.startsWith("0")) {
            send("40");
        } else if (frame.startsWith("44")) {
            stats.error("connect_error");
        } else if (frame.startsWith("1")) {
            stats.error("engine_close");
        }
    }

    private void handleParley(String frame) {
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
}
