package dev.parley.adapters.pusher;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.User;
import io.github.bucket4j.Bucket;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.xnio.IoUtils;

/**
 * One Pusher socket: its id (which is also its Parley connection id, so an HTTP trigger's
 * {@code socket_id} names it on every node), its subscriptions, the user it signed in as, its
 * rate limits and its bounded outbound queue. Sends are safe from any thread and keep their order.
 */
final class PusherSocket {
    private static final long CLOSE_GRACE_MILLIS = 5_000;

    /** A channel the socket is in, and whom as (a presence channel's member). */
    record Subscription(Channel channel, Optional<User> member) {
    }

    private final String socketId;
    private final ConnectionId id;
    private final WebSocketChannel channel;
    private final int maxQueued;
    private final PusherMetrics metrics;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Bucket frames;
    private final Bucket clientEvents;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Optional<String> signedInAs = Optional.empty();
    private volatile long lastSeenMillis = System.currentTimeMillis();
    /** Set once a ping went out for the current silence; any frame from the peer clears it. */
    private volatile boolean pinged;

    PusherSocket(String socketId, WebSocketChannel channel, PusherSettings settings, PusherMetrics metrics) {
        this.socketId = socketId;
        this.id = ConnectionId.of(socketId);
        this.channel = channel;
        this.maxQueued = settings.outboundMaxFrames();
        this.metrics = metrics;
        this.frames = Bucket.builder().addLimit(limit -> limit.capacity(settings.frameBurst())
                .refillGreedy(settings.framesPerSecond(), Duration.ofSeconds(1))).build();
        this.clientEvents = Bucket.builder().addLimit(limit -> limit.capacity(PusherSettings.CLIENT_EVENTS_PER_SECOND)
                .refillGreedy(PusherSettings.CLIENT_EVENTS_PER_SECOND, Duration.ofSeconds(1))).build();
    }

    String socketId() {
        return socketId;
    }

    ConnectionId id() {
        return id;
    }

    WebSocketChannel channel() {
        return channel;
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    Optional<String> signedInAs() {
        return signedInAs;
    }

    void signedIn(String user) {
        signedInAs = Optional.of(user);
    }

    boolean takeFrame() {
        return frames.tryConsume(1);
    }

    boolean takeClientEvent() {
        return clientEvents.tryConsume(1);
    }

    void touch() {
        lastSeenMillis = System.currentTimeMillis();
        pinged = false;
    }

    /** True once per silence: the caller sends the ping. */
    boolean needsPing() {
        if (pinged) {
            return false;
        }
        pinged = true;
        return true;
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** Queues one text frame; a socket this far behind is closed with 4100 (over capacity: come back later). */
    void send(String text, String type) {
        if (closing.get()) {
            return;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            close(PusherCloseCodes.OVER_CAPACITY, "too far behind");
            return;
        }
        metrics.frameOut(type);
        WebSockets.sendText(text, channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel done, Void context) {
                queued.decrementAndGet();
            }

            @Override
            public void onError(WebSocketChannel failed, Void context, Throwable throwable) {
                queued.decrementAndGet();
                IoUtils.safeClose(failed);
            }
        });
    }

    /** Sends a close frame and drops the socket if the peer's close does not come back within 5 s. */
    void close(int code, String reason) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        WebSockets.sendClose(new CloseMessage(code, reason).toByteBuffer(), channel, new WebSocketCallback<Void>() {
            @Override
            public void complete(WebSocketChannel done, Void context) {
            }

            @Override
            public void onError(WebSocketChannel failed, Void context, Throwable throwable) {
                IoUtils.safeClose(failed);
            }
        });
        try {
            channel.getIoThread().executeAfter(() -> IoUtils.safeClose(channel), CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            IoUtils.safeClose(channel);
        }
    }

    boolean isClosing() {
        return closing.get();
    }
}
