package dev.parley.adapters.redis;

import dev.parley.domain.ReconnectSchedule;
import dev.parley.domain.RoomName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * Room channels on one Redis server, over plain pub/sub.
 *
 * <ul>
 *   <li>One long-lived subscriber connection, which listens to a room's channel only while the
 *       room has a listener on this node; channels are added and removed on it while it blocks.
 *       It subscribes to the node's control channel first, so that it never runs out of
 *       channels; once Redis confirms that, the connection is up.</li>
 *   <li>Reconnecting: with {@link ReconnectSchedule} backoff, forever; a watchdog pings the
 *       subscriber connection and drops it when Redis stops answering (half-open TCP).</li>
 *   <li>Sending: one pipeline per batch on a pooled connection.</li>
 * </ul>
 */
final class ChannelBus implements RoomBus {
    /** Logs as the fan-out did before the bus had a class of its own, so that log filters keep working. */
    private static final Logger LOG = LoggerFactory.getLogger(RedisFanOut.class);
    private static final Duration STABLE_CONNECTION = Duration.ofSeconds(10);

    private final RedisConnector redis;
    private final RedisKeys keys;
    private final String node;
    private final byte[] controlChannel;

    /**
     * Guards the listened rooms together with the commands that tell Redis about them, so that
     * Redis hears subscribes and unsubscribes of a room in the order they happen.
     */
    private final Object subscriptions = new Object();
    private final Set<RoomName> wanted = new HashSet<>();
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

    private final Thread subscriberThread;
    private final ScheduledExecutorService watchdog;
    private volatile Receiver receiver;
    private volatile boolean running = true;

    ChannelBus(RedisSettings settings, RedisKeys keys) {
        this.redis = new RedisConnector(settings);
        this.keys = keys;
        this.node = settings.node().value();
        this.controlChannel = bytes(keys.controlChannel(node));
        this.reconnects = new ReconnectSchedule(settings.reconnect(), STABLE_CONNECTION, ThreadLocalRandom.current());
        this.pingInterval = settings.commandTimeout();
        this.subscriberThread = Threads.daemon(this::runSubscriber, "parley-redis-subscriber");
        this.watchdog = Executors.newSingleThreadScheduledExecutor(
                runnable -> Threads.daemon(runnable, "parley-redis-subscriber-watchdog"));
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        subscriberThread.start();
        watchdog.scheduleWithFixedDelay(this::checkSubscriber, pingInterval.toMillis(), pingInterval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // --- subscribing -------------------------------------------------------------------------------

    @Override
    public void listen(RoomName room) {
        synchronized (subscriptions) {
            wanted.add(room);
            Subscriber subscriber = connected;
            if (subscriber != null) {
                send(() -> subscriber.subscribe(bytes(keys.channel(room))));
            }
        }
    }

    @Override
    public void unlisten(RoomName room) {
        synchronized (subscriptions) {
            wanted.remove(room);
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
                Threads.sleep(reconnects.disconnected(System.currentTimeMillis()));
            }
        }
    }

    private void connected(Subscriber subscriber) {
        int rooms;
        synchronized (subscriptions) {
            lastPongNanos = System.nanoTime();
            connected = subscriber;
            List<byte[]> channels = new ArrayList<>();
            for (RoomName room : wanted) {
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

    private void roomLive(RoomName room) {
        synchronized (subscriptions) {
            if (!wanted.contains(room)) {
                return;
            }
            live.add(room);
        }
        receiver.live(room);
    }

    private void roomUnsubscribed(RoomName room) {
        synchronized (subscriptions) {
            if (!wanted.contains(room)) {
                live.remove(room);
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
            receiver.message(message);
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

    // --- sending -----------------------------------------------------------------------------------

    @Override
    public Unsent send(List<Message> messages) {
        try (Jedis jedis = redis.pooled()) {
            Pipeline pipeline = jedis.pipelined();
            for (Message message : messages) {
                pipeline.publish(bytes(keys.channel(message.room())), message.payload());
            }
            pipeline.sync();
            return Unsent.NONE;
        } catch (RuntimeException e) {
            return Unsent.all(messages, e);
        }
    }

    @Override
    public void probe() {
        try (Jedis jedis = redis.pooled()) {
            jedis.ping();
        }
    }

    // --- state and lifecycle -----------------------------------------------------------------------

    @Override
    public boolean isLive(RoomName room) {
        return live.contains(room);
    }

    @Override
    public boolean subscribed() {
        return connected != null;
    }

    @Override
    public long subscriberConnections() {
        return connections.get();
    }

    @Override
    public void close() {
        running = false;
        watchdog.shutdownNow();
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
        Threads.join(subscriberThread, Duration.ofSeconds(2));
        redis.close();
    }

    // --- helpers -----------------------------------------------------------------------------------

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
}
