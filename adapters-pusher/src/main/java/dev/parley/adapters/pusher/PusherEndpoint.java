package dev.parley.adapters.pusher;

import dev.parley.application.port.in.ConnectCommand;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.User;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * {@code /app/{key}} after the upgrade: checks the key and the protocol version (refusals are a
 * {@code pusher:error} and a close, which pusher-js reads, not an HTTP status), opens an anonymous
 * session in the core, says {@code connection_established}, keeps the socket alive, and hands
 * each frame to {@link PusherRequests}.
 */
final class PusherEndpoint implements WebSocketConnectionCallback {
    private static final Logger LOG = LoggerFactory.getLogger(PusherEndpoint.class);
    static final String PROTOCOL_VERSION = "7";
    /** The grant every Pusher socket has: its channels' rooms; what it may subscribe to is signed per channel. */
    static final RoomGrants CHANNEL_ROOMS = RoomGrants.of(Channel.ROOM_PREFIX + "*");

    private final PusherSettings settings;
    private final PusherUseCases useCases;
    private final PusherRegistry registry;
    private final PusherFrames frames;
    private final PusherRequests requests;
    private final PusherMetrics metrics;
    /** Socket ids are {@code <this node's random part>.<counter>}: unique across nodes for practical purposes. */
    private final long nodePart = ThreadLocalRandom.current().nextLong(100_000_000L, 1_000_000_000L);
    private final AtomicLong sockets = new AtomicLong();

    PusherEndpoint(PusherSettings settings, PusherUseCases useCases, PusherRegistry registry, PusherFrames frames,
                   PusherRequests requests, PusherMetrics metrics) {
        this.settings = settings;
        this.useCases = useCases;
        this.registry = registry;
        this.frames = frames;
        this.requests = requests;
        this.metrics = metrics;
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        PusherSocket socket = new PusherSocket(nodePart + "." + sockets.incrementAndGet(), channel, settings, metrics);
        String uri = exchange.getRequestURI();
        String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
        String key = path.substring(path.lastIndexOf('/') + 1);
        List<String> protocol = exchange.getRequestParameters().getOrDefault("protocol", List.of());
        if (!key.equals(settings.key())) {
            refuse(socket, PusherCloseCodes.APP_NOT_FOUND, "App key " + key + " not in this cluster");
            return;
        }
        if (!protocol.contains(PROTOCOL_VERSION)) {
            refuse(socket, PusherCloseCodes.UNSUPPORTED_PROTOCOL, "Unsupported protocol version; this server speaks 7");
            return;
        }
        Principal anonymous = new Principal(User.named("pusher-socket:" + socket.socketId()), CHANNEL_ROOMS);
        useCases.connect().connect(new ConnectCommand(socket.id(), anonymous)).whenComplete((outcome, failure) ->
                channel.getIoThread().execute(() -> {
                    if (failure != null || !(outcome instanceof ConnectOutcome.Admitted)) {
                        refuse(socket, PusherCloseCodes.OVER_CAPACITY, "the server cannot take this connection now");
                        return;
                    }
                    open(socket);
                }));
    }

    private void refuse(PusherSocket socket, int code, String message) {
        socket.send(frames.error(code, message), "pusher:error");
        socket.close(code, message);
    }

    private void open(PusherSocket socket) {
        WebSocketChannel channel = socket.channel();
        registry.add(socket);
        XnioExecutor.Key keepAlive = channel.getIoThread().executeAtInterval(() -> keepAlive(socket),
                1, TimeUnit.SECONDS);
        channel.addCloseTask(closed -> {
            keepAlive.remove();
            registry.remove(socket.id());
            useCases.disconnect().disconnect(socket.id()).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    LOG.warn("releasing pusher socket {} failed", socket.socketId(), failure);
                }
            });
            LOG.debug("pusher socket closed {}", socket.socketId());
        });
        String established = frames.write(json -> {
            json.writeStartObject();
            json.writeStringField("socket_id", socket.socketId());
            json.writeNumberField("activity_timeout", settings.activityTimeout().toSeconds());
            json.writeEndObject();
        });
        socket.send(frames.event("pusher:connection_established", null, established, null),
                "pusher:connection_established");
        channel.getReceiveSetter().set(new FrameListener(socket));
        channel.resumeReceives();
    }

    /**
     * Pings a socket that has been silent for the activity timeout, and closes it with 4201 when
     * the pong (or anything) does not follow within the pong timeout.
     */
    private void keepAlive(PusherSocket socket) {
        long silent = System.currentTimeMillis() - socket.lastSeenMillis();
        long activity = settings.activityTimeout().toMillis();
        if (silent >= activity + settings.pongTimeout().toMillis()) {
            socket.close(PusherCloseCodes.PONG_TIMEOUT, "Pong reply not received");
        } else if (silent >= activity && socket.needsPing()) {
            socket.send(frames.event("pusher:ping", null, "{}", null), "pusher:ping");
        }
    }

    private final class FrameListener extends AbstractReceiveListener {
        private final PusherSocket socket;

        FrameListener(PusherSocket socket) {
            this.socket = socket;
        }

        @Override
        protected long getMaxTextBufferSize() {
            return settings.maxFrameBytes();
        }

        @Override
        protected long getMaxBinaryBufferSize() {
            return settings.maxFrameBytes();
        }

        @Override
        protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
            socket.touch();
            try {
                requests.handle(socket, message.getData());
            } catch (RuntimeException bug) {
                LOG.error("internal error on pusher socket {}", socket.socketId(), bug);
                socket.send(frames.error(PusherCloseCodes.CLIENT_EVENT_REFUSED, "internal error; it has been logged"),
                        "pusher:error");
            }
        }

        @Override
        protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            socket.touch();
        }

        @Override
        protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
            message.getData().free();
            socket.touch();
        }

        @Override
        protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
            socket.touch();
            super.onFullPingMessage(channel, message);
        }

        @Override
        protected void onError(WebSocketChannel channel, Throwable error) {
            LOG.debug("pusher socket {} failed: {}", socket.socketId(), error.toString());
            super.onError(channel, error);
        }
    }

    /** For the front door's drain: every socket is told to come back at once, elsewhere. */
    void closeAll() {
        for (PusherSocket socket : registry.all()) {
            socket.close(PusherCloseCodes.GOING_AWAY, "server going away");
        }
    }
}
