package dev.parley.adapters.redis;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room events across nodes over Redis pub/sub, one channel per room: plain pub/sub on one server
 * ({@link ChannelBus}), sharded pub/sub on a Redis Cluster ({@link ShardedBus}).
 *
 * <ul>
 *   <li>Subscribing: a node listens to a room's channel only while the room has a listener here.
 *       Once Redis confirms a room's channel, the room's listeners hear {@code onPossibleLoss}:
 *       on the first subscription that covers what was published before it was live, after a
 *       reconnect (or, on a cluster, a move of the room's slot to another master) what the
 *       subscriber missed. Rooms catch up from history, so members lose nothing.</li>
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

    private final RoomBus bus;
    private final String node;
    /** How every event this node publishes begins: its echo is skipped undecoded. */
    private final byte[] ownPrefix;
    private final RoomEventCodec codec = new RoomEventCodec();

    private final ConcurrentHashMap<RoomName, Set<RoomEventListener>> listeners = new ConcurrentHashMap<>();
    /** Guards changes of the listened rooms, so that the bus hears a room's first and last listener in order. */
    private final Object subscriptions = new Object();

    private final BlockingQueue<Outgoing> outbox = new LinkedBlockingQueue<>(OUTBOX_CAPACITY);
    /** Rooms with chat events not sent to Redis: their other nodes must catch up from history. */
    private final Set<RoomName> unannouncedLosses = ConcurrentHashMap.newKeySet();
    private volatile boolean publishing = true;

    private final Thread publisherThread;
    private volatile boolean running = true;

    /** A fan-out with connections of its own; {@link #start} connects it. */
    public RedisFanOut(RedisSettings settings) {
        Objects.requireNonNull(settings, "settings");
        RedisKeys keys = new RedisKeys(settings.keyPrefix(), settings.isCluster());
        this.bus = settings.isCluster() ? new ShardedBus(settings, keys) : new ChannelBus(settings, keys);
        this.node = settings.node().value();
        this.ownPrefix = codec.senderPrefix(node);
        this.publisherThread = Threads.daemon(this::runPublisher, "parley-redis-publisher");
    }

    /** Connects the subscriber and starts publishing; returns at once (the connection comes up in the background). */
    public RedisFanOut start() {
        bus.start(new RoomBus.Receiver() {
            @Override
            public void live(RoomName room) {
                roomLive(room);
            }

            @Override
            public void message(byte[] payload) {
                receive(payload);
            }
        });
        publisherThread.start();
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
            if (first) {
                bus.listen(room);
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
            bus.unlisten(room);
        }
    }

    /** Redis confirmed a room's channel: from now on the room hears everything; it catches up on the rest. */
    private void roomLive(RoomName room) {
        Set<RoomEventListener> roomListeners = listeners.get(room);
        if (roomListeners == null) {
            return;
        }
        for (RoomEventListener listener : List.copyOf(roomListeners)) {
            possibleLoss(listener, room);
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
        List<RoomBus.Message> messages = new ArrayList<>(batch.size() + hints.size());
        for (Outgoing outgoing : batch) {
            messages.add(new RoomBus.Message(outgoing.room(), outgoing.payload()));
        }
        // Sent after what the room's nodes missed was stored, so a catch-up finds it all.
        for (RoomName room : hints) {
            messages.add(new RoomBus.Message(room, codec.encodePossibleLoss(node, room)));
        }
        RoomBus.Unsent unsent;
        if (messages.isEmpty()) {
            try {
                bus.probe();
                unsent = RoomBus.Unsent.NONE;
            } catch (RuntimeException e) {
                unsent = new RoomBus.Unsent(Set.of(), e);
            }
        } else {
            unsent = bus.send(messages);
        }
        if (unsent.failed()) {
            if (publishing) {
                LOG.warn("cannot publish to Redis; members on other nodes will catch up from history: {}",
                        unsent.cause().toString());
            }
            publishing = false;
        } else {
            if (!publishing) {
                LOG.info("publishing to Redis again; {} rooms told to catch up from history", hints.size());
            }
            publishing = true;
        }
        List<Outgoing> failed = new ArrayList<>();
        for (Outgoing outgoing : batch) {
            if (unsent.rooms().contains(outgoing.room())) {
                failed.add(outgoing);
            } else {
                outgoing.sent().complete(null);
            }
        }
        if (!failed.isEmpty()) {
            failed(failed, new StoreUnavailableException("Redis is unavailable: " + unsent.cause().getMessage(),
                    unsent.cause()));
        }
        for (RoomName room : hints) {
            if (!unsent.rooms().contains(room)) {
                unannouncedLosses.remove(room);
            }
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

    /** True while the subscriber connections are up and the last send to Redis succeeded. */
    public boolean healthy() {
        return bus.subscribed() && publishing;
    }

    /** Whether Redis confirmed the room's channel on the connection that should carry it. */
    boolean isLive(RoomName room) {
        return bus.isLive(room);
    }

    /** Subscriber connections made so far: more than one (per Redis master) means one reconnected. */
    long subscriberConnections() {
        return bus.subscriberConnections();
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        Threads.join(publisherThread, Duration.ofSeconds(2));
        bus.close();
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
}
