package dev.parley.adapters.redis;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.ReconnectSchedule;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Room events across nodes over Redis pub/sub, one channel per room.
 *
 * <ul>
 *   <li>Subscribing: one long-lived subscriber connection per node, which listens to a room's
 *       channel only while the room has a listener here; channels are added and removed on it
 *       while it blocks. Once Redis confirms a room's channel, the room's listeners hear
 *       {@code onPossibleLoss}: on the first subscription that covers what was published before
 *       it was live, after a reconnect what the dropped connection missed. Rooms catch up from
 *       history, so members lose nothing.</li>
 *   <li>Reconnecting: with {@link ReconnectSchedule} backoff, forever; a watchdog pings the
 *       subscriber connection and drops it when Redis stops answering (half-open TCP).</li>
 *   <li>Publishing: an event is encoded once; listeners on this node hear it at once, on the
 *       publishing thread, so that delivery on one node goes on while Redis is down; one
 *       publisher thread sends it to Redis (pipelined, in publishing order), and every node
 *       skips the echo of its own events. A chat event that could not be sent makes the next
 *       successful send tell the room's other nodes to catch up from history.</li>
 * </ul>
 */
public final class RedisFanOut implements FanOut, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisFanOut.class);
    private static final int OUTBOX_CAPACITY = 65_536;
    private static final int MAX_BATCH = 256;
    private static final Duration STABLE_CONNECTION = Duration.ofSeconds(10);

    private final RedisConnector redis;
    private final RedisKeys keys;
    private final String node;
    private final byte[] controlChannel;
    /** How every event this node publishes begins: its echo is skipped undecoded. */
    private final byte[] ownPrefix;
    private final RoomEventCodec codec = new RoomEventCodec();

    private final ConcurrentHashMap<RoomName, Set<RoomEventListener>> listeners = new ConcurrentHashMap<>();
    /**
     * Guards changes of the listened rooms together with the commands that tell Redis about them,
     * so that Redis hears subscribes and unsubscribes of a room in the order they happen.
     */
    private final Object subscriptions = new Object();
    /** The subscriber once Redis confirmed its control channel; null while disconnected. */
    private volatile Subscriber connected;
    /** Rooms whose channel Redis confirmed on the current connection. */
    private final Set<RoomName> live = ConcurrentHashMap.newKeySet();
    private volatile Jedis subscriberConnection;
    private volatile long lastPongNanos;
    private final ReconnectSchedule reconnects;
    /** Pings go out this often on the subscriber connection; three unanswered ones drop it. */
    private final Duration pingInterval;
    private final AtomicLong connections = new AtomicLong();

    private final BlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>(OUTBOX_CAPACITY);
    /** Rooms with chat events not sent to Redis: their other nodes must catch up from history. */
    private final Set<RoomName> unannouncedLosses = ConcurrentHashMap.newKeySet();
    private volatile boolean publishing = true;

    private final Thread subscriberThread;
    private final Thread publisherThread;
    private final ScheduledExecutorService watchdog;
    private volatile boolean running = true;

    /** A fan-out with connections of its own; {@link #start} connects it. */
    public RedisFanOut(RedisSettings settings) {
        Objects.requireNonNull(settings, "settings");
        this.redis = new RedisConnector(settings);
        this.keys = new RedisKeys(settings.keyPrefix());
        this.node = settings.node().value();
        this.controlChannel = bytes(keys.controlChannel(node));
        this.ownPrefix = codec.senderPrefix(node);
        this.reconnects = new ReconnectSchedule(settings.reconnect(), STABLE_CONNECTION, ThreadLocalRandom.current());
        this.pingInterval = settings.commandTimeout();
        this.subscriberThread = new Thread(this::runSubscriber, "parley-redis-subscriber");
        this.subscriberThread.setDaemon(true);
        this.publisherThread = new Thread(this::runPublisher, "parley-redis-publisher");
        this.publisherThread.setDaemon(true);
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-redis-subscriber-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects the subscriber and starts publishing; returns at once (the connection comes up in the background). */
    public RedisFanOut start() {
        subscriberThread.start();
        publisherThread.start();
        watchdog.scheduleWithFixedDelay(this::checkSubscriber, pingInterval.toMillis(), pingInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    // --- subscribing -------------------------------------------------------------------------------

    @Override
    public Subscription subscribe(RoomName room, RoomEventListener listener) {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(listener, "listener");
        synchronized (subscriptions) {
            Set<RoomEventListener> roomListeners = listeners.computeIfAbsent(room, name -> new CopyOnWriteArraySet<>());
            boolean first = roomListeners.isEmpty();
            roomListeners.add(listener);
            Subscriber subscriber = connected;
            if (first && subscriber != null) {
                send(() -> subscriber.subscribe(bytes(keys.channel(room))));
            }
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                unsubscribe(room, listener);
            }
        };
    }

    private void unsubscribe(RoomName room, RoomEventListener listener) {
        synchronized (subscriptions) {
            Set<RoomEventListener> roomListeners = listeners.get(room);
            if (roomListeners == null || !roomListeners.remove(listener) || !roomListeners.isEmpty()) {
                return;
            }
            listeners.remove(room);
            live.remove(room);
            Subscriber subscriber = connected;
            if (subscriber != null) {
                send(() -> subscriber.unsubscribe(bytes(keys.channel(room))));
            }
        }
    }

    /** A command on the subscriber connection; a broken connection is the subscriber thread's to mend. */
    private static void send(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            LOG.debug("subscriber connection refused a command; it reconnects: {}", e.toString());
        }
    }

    private void runSubscriber() {
        boolean failing = false;
        while (running) {
            Jedis jedis = null;
            try {
                jedis = redis.dedicated("parley-sub-" + node);
                subscriberConnection = jedis;
                if (running) {
                    jedis.subscribe(new Subscriber(), controlChannel);
                }
            } catch (RuntimeException e) {
                if (running) {
                    if (connected != null || !failing) {
                        LOG.warn("Redis subscriber connection {}; reconnecting, rooms will catch up from history: {}",
                                connected != null ? "lost" : "cannot be opened", e.toString());
                    }
                    failing = connected == null;
                }
            } finally {
                disconnected();
                subscriberConnection = null;
                closeQuietly(jedis);
            }
            if (running) {
                pause(reconnects.disconnected(System.currentTimeMillis()));
            }
        }
    }

    private void connected(Subscriber subscriber) {
        int rooms;
        synchronized (subscriptions) {
            lastPongNanos = System.nanoTime();
            connected = subscriber;
            List<byte[]> channels = new ArrayList<>();
            for (RoomName room : listeners.keySet()) {
                channels.add(bytes(keys.channel(room)));
            }
            rooms = channels.size();
            if (!channels.isEmpty()) {
                subscriber.subscribe(channels.toArray(new byte[0][]));
            }
        }
        reconnects.connected(System.currentTimeMillis());
        if (connections.incrementAndGet() > 1) {
            LOG.info("Redis subscriber connection is back; resubscribing {} rooms, which catch up from history", rooms);
        }
    }

    private void disconnected() {
        synchronized (subscriptions) {
            connected = null;
            live.clear();
        }
    }

    /** Redis confirmed a room's channel: from now on the room hears everything; it catches up on the rest. */
    private void roomLive(RoomName room) {
        List<RoomEventListener> toTell;
        synchronized (subscriptions) {
            Set<RoomEventListener> roomListeners = listeners.get(room);
            if (roomListeners == null) {
                return;
            }
            live.add(room);
            toTell = List.copyOf(roomListeners);
        }
        for (RoomEventListener listener : toTell) {
            possibleLoss(listener, room);
        }
    }

    private void roomUnsubscribed(RoomName room) {
        synchronized (subscriptions) {
            if (!listeners.containsKey(room)) {
                live.remove(room);
            }
        }
    }

    private void receive(byte[] message) {
        if (RoomEventCodec.startsWith(message, ownPrefix)) {
            return; // our own event: its listeners here heard it when it was published
        }
        RoomEventCodec.Decoded decoded;
        try {
            decoded = codec.decode(message);
        } catch (RuntimeException e) {
            LOG.warn("ignoring a message on a room channel that is not a room event: {}", e.toString());
            return;
        }
        Set<RoomEventListener> roomListeners = listeners.get(decoded.room());
        if (roomListeners == null) {
            return;
        }
        for (RoomEventListener listener : roomListeners) {
            if (decoded instanceof RoomEventCodec.Event event) {
                deliver(listener, event.event());
            } else {
                possibleLoss(listener, decoded.room());
            }
        }
    }

    /** Pings the subscriber connection; drops it when Redis has not answered for too long. */
    private void checkSubscriber() {
        Subscriber subscriber = connected;
        if (subscriber == null) {
            return;
        }
        if (System.nanoTime() - lastPongNanos > pingInterval.multipliedBy(3).toNanos()) {
            LOG.warn("Redis subscriber connection silent for over {} ms; dropping it to reconnect",
                    pingInterval.multipliedBy(3).toMillis());
            Jedis jedis = subscriberConnection;
            if (jedis != null) {
                try {
                    jedis.disconnect();
                } catch (RuntimeException e) {
                    LOG.debug("disconnecting the silent subscriber: {}", e.toString());
                }
            }
            return;
        }
        synchronized (subscriptions) {
            if (connected == subscriber) {
                send(subscriber::ping);
            }
        }
    }

    private final class Subscriber extends BinaryJedisPubSub {
        @Override
        public void onSubscribe(byte[] channel, int subscribedChannels) {
            if (Arrays.equals(channel, controlChannel)) {
                connected(this);
                return;
            }
            RoomName room = roomOf(channel);
            if (room != null) {
                roomLive(room);
            }
        }

        @Override
        public void onUnsubscribe(byte[] channel, int subscribedChannels) {
            RoomName room = roomOf(channel);
            if (room != null) {
                roomUnsubscribed(room);
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            lastPongNanos = System.nanoTime();
            receive(message);
        }

        @Override
        public void onPong(byte[] pattern) {
            lastPongNanos = System.nanoTime();
        }

        private RoomName roomOf(byte[] channel) {
            String room = keys.roomOfChannel(new String(channel, StandardCharsets.UTF_8));
            return room == null ? null : RoomName.of(room);
        }
    }

    // --- publishing --------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Void> publish(RoomEvent event) {
        Objects.requireNonNull(event, "event");
        Set<RoomEventListener> here = listeners.get(event.room());
        if (here != null) {
            for (RoomEventListener listener : here) {
                deliver(listener, event);
            }
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Outgoing outgoing = new Outgoing(event.room(), codec.encode(node, event), event instanceof RoomEvent.Posted,
                sent);
        if (!running) {
            failed(List.of(outgoing), new StoreUnavailableException("the Redis fan-out is closed"));
        } else if (!outbox.offer(outgoing)) {
            failed(List.of(outgoing), new StoreUnavailableException(
                    "Redis fan-out: " + OUTBOX_CAPACITY + " events wait to be sent already"));
        }
        return sent;
    }

    private record Outgoing(RoomName room, byte[] payload, boolean chat, CompletableFuture<Void> sent) {
    }

    private void runPublisher() {
        List<Outgoing> batch = new ArrayList<>(MAX_BATCH);
        while (running || !outbox.isEmpty()) {
            batch.clear();
            try {
                Outgoing first = outbox.poll(500, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    outbox.drainTo(batch, MAX_BATCH - 1);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
                continue;
            }
            // While sends fail, an idle tick probes Redis, so that health comes back without traffic.
            if (!batch.isEmpty() || !unannouncedLosses.isEmpty() || !publishing) {
                sendToRedis(batch);
            }
        }
        List<Outgoing> left = new ArrayList<>();
        outbox.drainTo(left);
        failed(left, new StoreUnavailableException("the Redis fan-out is closed"));
    }

    private void sendToRedis(List<Outgoing> batch) {
        List<RoomName> hints = List.copyOf(unannouncedLosses);
        try (Jedis jedis = redis.pooled()) {
            Pipeline pipeline = jedis.pipelined();
            for (Outgoing outgoing : batch) {
                pipeline.publish(bytes(keys.channel(outgoing.room())), outgoing.payload());
            }
            // Sent after what the room's nodes missed was stored, so a catch-up finds it all.
            for (RoomName room : hints) {
                pipeline.publish(bytes(keys.channel(room)), codec.encodePossibleLoss(node, room));
            }
            pipeline.sync();
            if (batch.isEmpty() && hints.isEmpty()) {
                jedis.ping();
            }
        } catch (RuntimeException e) {
            if (publishing) {
                LOG.warn("cannot publish to Redis; members on other nodes will catch up from history: {}",
                        e.toString());
            }
            publishing = false;
            failed(batch, new StoreUnavailableException("Redis is unavailable: " + e.getMessage(), e));
            return;
        }
        if (!publishing) {
            LOG.info("publishing to Redis again; {} rooms told to catch up from history", hints.size());
        }
        publishing = true;
        unannouncedLosses.removeAll(hints);
        for (Outgoing outgoing : batch) {
            outgoing.sent().complete(null);
        }
    }

    private void failed(List<Outgoing> outgoing, RuntimeException failure) {
        for (Outgoing event : outgoing) {
            if (event.chat()) {
                unannouncedLosses.add(event.room());
            }
            event.sent().completeExceptionally(failure);
        }
    }

    // --- state and lifecycle -----------------------------------------------------------------------

    /** True while the subscriber connection is up and the last send to Redis succeeded. */
    public boolean healthy() {
        return connected != null && publishing;
    }

    /** Whether Redis confirmed the room's channel on the current subscriber connection. */
    boolean isLive(RoomName room) {
        return live.contains(room);
    }

    /** Subscriber connections made so far: more than one means it reconnected. */
    long subscriberConnections() {
        return connections.get();
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        watchdog.shutdownNow();
        join(publisherThread, Duration.ofSeconds(2));
        synchronized (subscriptions) {
            Subscriber subscriber = connected;
            if (subscriber != null) {
                send(subscriber::unsubscribe);
            }
        }
        Jedis jedis = subscriberConnection;
        if (jedis != null) {
            try {
                jedis.disconnect();
            } catch (RuntimeException e) {
                LOG.debug("closing the subscriber connection: {}", e.toString());
            }
        }
        subscriberThread.interrupt();
        join(subscriberThread, Duration.ofSeconds(2));
        redis.close();
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static void deliver(RoomEventListener listener, RoomEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.error("a listener of room {} failed on {}", event.room(), event.getClass().getSimpleName(), e);
        }
    }

    private static void possibleLoss(RoomEventListener listener, RoomName room) {
        try {
            listener.onPossibleLoss(room);
        } catch (RuntimeException e) {
            LOG.error("a listener of room {} failed to catch up", room, e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(Jedis jedis) {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (RuntimeException e) {
                LOG.debug("closing a subscriber connection: {}", e.toString());
            }
        }
    }

    /** Waits before the next attempt; {@link #close} interrupts it, and the loop then sees it stopped. */
    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            // woken by close(): the caller's loop checks running
        }
    }

    /** Waits for a thread to end on its own, then wakes it if it has not. */
    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
