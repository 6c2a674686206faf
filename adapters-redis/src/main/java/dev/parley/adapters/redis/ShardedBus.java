package dev.parley.adapters.redis;

import dev.parley.domain.ReconnectSchedule;
import dev.parley.domain.RoomName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Room channels on a Redis Cluster, over sharded pub/sub: a room's channel ({@code ch:{room}})
 * lives on the master of its slot, so events of a room cross one shard only and each master
 * carries its own rooms' traffic.
 *
 * <ul>
 *   <li>One subscriber connection ({@link Link}) per master that serves a room with a listener
 *       here; a room's channel is subscribed ({@code SSUBSCRIBE}, one channel per command, as
 *       channels of one command must share a slot) on the link of its slot's master.</li>
 *   <li>Following the slots: a link that breaks (its master died), a {@code MOVED} answer, or a
 *       {@code sunsubscribe} that Redis sends when a slot leaves its master (a failover or a
 *       slot migration) re-reads the cluster's slots and places the rooms again; so does a
 *       check every ping interval. A room becomes live again once its new master confirms it,
 *       and then catches up from history like after any reconnect.</li>
 *   <li>Links are pinged; three silent intervals drop a link, which reconnects with backoff.</li>
 *   <li>Sending: {@link ShardedPublisher}.</li>
 * </ul>
 */
final class ShardedBus implements RoomBus {
    /** Logs as the fan-out, like {@link ChannelBus}. */
    private static final Logger LOG = LoggerFactory.getLogger(RedisFanOut.class);
    private static final Duration STABLE_CONNECTION = Duration.ofSeconds(10);
    private static final byte[] SMESSAGE = bytes("smessage");
    private static final byte[] SSUBSCRIBE = bytes("ssubscribe");
    private static final byte[] SUNSUBSCRIBE = bytes("sunsubscribe");

    private final ClusterConnector redis;
    private final RedisKeys keys;
    private final RedisSettings settings;
    private final String clientName;
    private final Duration pingInterval;

    /** Guards the placement of rooms on links together with the commands sent on the links. */
    private final Object lock = new Object();
    private final Set<RoomName> wanted = new HashSet<>();
    private final Map<RoomName, Link> placed = new HashMap<>();
    private final Map<HostAndPort, Link> links = new HashMap<>();
    private final Set<RoomName> live = ConcurrentHashMap.newKeySet();
    private final ShardedPublisher publisher;
    private final AtomicLong connections = new AtomicLong();
    /** Re-read the slots before the next placement: something said they changed. */
    private final AtomicBoolean refreshAsked = new AtomicBoolean();
    private final AtomicBoolean placementAsked = new AtomicBoolean();
    private volatile boolean topologyKnown;

    /** Places rooms, re-reads the slots and pings the links: one thread, so placements never interleave. */
    private final ScheduledExecutorService maintenance;
    private volatile Receiver receiver;
    private volatile boolean running = true;

    ShardedBus(RedisSettings settings, RedisKeys keys) {
        this.settings = settings;
        this.redis = new ClusterConnector(settings);
        this.keys = keys;
        this.clientName = "parley-sub-" + settings.node().value();
        this.pingInterval = settings.commandTimeout();
        this.publisher = new ShardedPublisher(redis, keys, this::slotsMoved);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(
                runnable -> Threads.daemon(runnable, "parley-redis-shards"));
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        maintenance.scheduleWithFixedDelay(this::maintain, 0, pingInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    // --- which room on which link ------------------------------------------------------------------

    @Override
    public void listen(RoomName room) {
        synchronized (lock) {
            wanted.add(room);
        }
        placeSoon();
    }

    @Override
    public void unlisten(RoomName room) {
        synchronized (lock) {
            wanted.remove(room);
            live.remove(room);
            Link link = placed.remove(room);
            if (link != null) {
                link.drop(room);
            }
        }
    }

    private void placeSoon() {
        if (running && placementAsked.compareAndSet(false, true)) {
            try {
                maintenance.execute(this::place);
            } catch (RejectedExecutionException e) {
                placementAsked.set(false); // closed
            }
        }
    }

    private void maintain() {
        place();
        pingLinks();
    }

    /** Puts every wanted room on the link of its slot's master, moving those whose slot moved. */
    private void place() {
        placementAsked.set(false);
        if (!running) {
            return;
        }
        try {
            if (refreshAsked.getAndSet(false)) {
                redis.refreshTopology();
            } else {
                redis.masterOf(0); // makes the cluster client on first use, outside the lock
            }
        } catch (RuntimeException e) {
            topologyKnown = false;
            refreshAsked.set(true);
            LOG.debug("cannot read the Redis Cluster's slots yet: {}", e.toString());
            return;
        }
        topologyKnown = true;
        // Read outside the lock: the client's map of slots may be busy re-reading the cluster.
        Set<RoomName> rooms;
        synchronized (lock) {
            rooms = Set.copyOf(wanted);
        }
        Map<RoomName, HostAndPort> masters = new HashMap<>();
        for (RoomName room : rooms) {
            HostAndPort master = redis.masterOf(slot(room));
            if (master != null) {
                masters.put(room, master);
            }
        }
        List<Link> started = new ArrayList<>();
        synchronized (lock) {
            for (Map.Entry<RoomName, HostAndPort> entry : masters.entrySet()) {
                RoomName room = entry.getKey();
                HostAndPort master = entry.getValue();
                Link current = placed.get(room);
                if (!wanted.contains(room) || (current != null && current.address.equals(master))) {
                    continue;
                }
                if (current != null) {
                    LOG.info("room {} moved from Redis node {} to {}; it catches up from history once subscribed there",
                            room, current.address, master);
                    current.drop(room);
                    live.remove(room);
                }
                Link link = links.get(master);
                if (link == null) {
                    link = new Link(master);
                    links.put(master, link);
                    started.add(link);
                }
                placed.put(room, link);
                link.add(room);
            }
            for (Link link : List.copyOf(links.values())) {
                if (link.rooms.isEmpty()) {
                    link.retire();
                }
            }
        }
        started.forEach(Link::start);
    }

    private int slot(RoomName room) {
        return ShardedPublisher.slot(keys, room);
    }

    private void pingLinks() {
        long silentLimit = pingInterval.multipliedBy(3).toNanos();
        synchronized (lock) {
            for (Link link : links.values()) {
                SubscriberConnection connection = link.connection;
                if (connection == null) {
                    continue;
                }
                if (System.nanoTime() - link.lastHeardNanos > silentLimit) {
                    LOG.warn("Redis subscriber connection to {} silent for over {} ms; dropping it to reconnect",
                            link.address, pingInterval.multipliedBy(3).toMillis());
                    connection.disconnect();
                } else {
                    link.send(connection, Protocol.Command.PING);
                }
            }
        }
    }

    /** Slots moved (a redirection, a lost link, a slot taken away): read them again and place the rooms again. */
    private void slotsMoved() {
        refreshAsked.set(true);
        placeSoon();
    }

    // --- one link per master -----------------------------------------------------------------------

    /** The subscriber connection to one master, carrying the channels of the rooms placed on it. */
    private final class Link {
        final HostAndPort address;
        /** Guarded by the bus's lock. */
        final Set<RoomName> rooms = new HashSet<>();
        final ReconnectSchedule reconnects = new ReconnectSchedule(settings.reconnect(), STABLE_CONNECTION,
                ThreadLocalRandom.current());
        final Thread thread;
        /** Set, under the lock, once connected and the rooms' subscriptions sent; null while down. */
        volatile SubscriberConnection connection;
        volatile long lastHeardNanos;
        volatile boolean retired;

        Link(HostAndPort address) {
            this.address = address;
            this.thread = Threads.daemon(this::run, "parley-redis-subscriber-" + address.getPort());
        }

        void start() {
            thread.start();
        }

        /** Under the lock. */
        void add(RoomName room) {
            rooms.add(room);
            SubscriberConnection current = connection;
            if (current != null) {
                send(current, Protocol.Command.SSUBSCRIBE, bytes(keys.channel(room)));
            }
        }

        /** Under the lock. */
        void drop(RoomName room) {
            rooms.remove(room);
            SubscriberConnection current = connection;
            if (current != null) {
                send(current, Protocol.Command.SUNSUBSCRIBE, bytes(keys.channel(room)));
            }
        }

        /** Under the lock: no room left here; the connection closes and the thread ends. */
        void retire() {
            retired = true;
            links.remove(address);
            SubscriberConnection current = connection;
            if (current != null) {
                current.disconnect();
            }
            thread.interrupt();
        }

        /** Under the lock; a broken connection is this link's thread to mend. */
        void send(SubscriberConnection on, Protocol.Command command, byte[]... args) {
            try {
                on.send(command, args);
            } catch (RuntimeException e) {
                LOG.debug("subscriber connection to {} refused a command; it reconnects: {}", address, e.toString());
            }
        }

        private void run() {
            boolean failing = false;
            while (running && !retired) {
                SubscriberConnection opened = null;
                boolean wasUp = false;
                try {
                    opened = redis.subscriber(address, clientName);
                    synchronized (lock) {
                        if (retired || !running) {
                            continue; // the finally closes it; the loop ends
                        }
                        lastHeardNanos = System.nanoTime();
                        connection = opened;
                        for (RoomName room : rooms) {
                            send(opened, Protocol.Command.SSUBSCRIBE, bytes(keys.channel(room)));
                        }
                    }
                    wasUp = true;
                    reconnects.connected(System.currentTimeMillis());
                    if (connections.incrementAndGet() > 1 && failing) {
                        LOG.info("Redis subscriber connection to {} is back; its rooms catch up from history", address);
                    }
                    failing = false;
                    read(opened);
                } catch (RuntimeException e) {
                    if (running && !retired && (wasUp || !failing)) {
                        LOG.warn("Redis subscriber connection to {} {}; looking where its rooms live now, they will"
                                + " catch up from history: {}", address, wasUp ? "lost" : "cannot be opened",
                                e.toString());
                    }
                    failing = running && !retired;
                } finally {
                    synchronized (lock) {
                        if (connection == opened) {
                            connection = null;
                        }
                        live.removeAll(rooms);
                    }
                    if (opened != null) {
                        opened.close();
                    }
                }
                if (running && !retired) {
                    // Its master may have died and a replica taken over: the rooms may have to move.
                    slotsMoved();
                    Threads.sleep(reconnects.disconnected(System.currentTimeMillis()));
                }
            }
        }

        private void read(SubscriberConnection on) {
            while (running && !retired) {
                Object reply;
                try {
                    reply = on.getUnflushedObject();
                } catch (JedisMovedDataException e) {
                    // A subscribe sent to a master that no longer serves the slot: place those rooms again.
                    unplace(e.getSlot());
                    continue;
                } catch (JedisDataException e) {
                    LOG.debug("Redis node {} refused a subscriber command: {}", address, e.toString());
                    continue;
                }
                lastHeardNanos = System.nanoTime();
                if (reply instanceof List<?> parts && parts.size() >= 2 && parts.get(0) instanceof byte[] kind) {
                    handle(kind, parts);
                }
                // Anything else answers a ping.
            }
        }

        private void handle(byte[] kind, List<?> parts) {
            if (Arrays.equals(kind, SMESSAGE) && parts.size() >= 3) {
                receiver.message((byte[]) parts.get(2));
                return;
            }
            RoomName room = roomOf(parts.get(1));
            if (room == null) {
                return;
            }
            if (Arrays.equals(kind, SSUBSCRIBE)) {
                synchronized (lock) {
                    if (placed.get(room) != this) {
                        return;
                    }
                    live.add(room);
                }
                receiver.live(room);
            } else if (Arrays.equals(kind, SUNSUBSCRIBE)) {
                boolean takenAway;
                synchronized (lock) {
                    live.remove(room);
                    // Still placed here: not our own unsubscribe, Redis moved the slot away.
                    takenAway = placed.get(room) == this;
                    if (takenAway) {
                        placed.remove(room);
                        rooms.remove(room);
                    }
                }
                if (takenAway) {
                    slotsMoved();
                }
            }
        }

        private void unplace(int slot) {
            synchronized (lock) {
                for (RoomName room : List.copyOf(rooms)) {
                    if (slot(room) == slot) {
                        rooms.remove(room);
                        placed.remove(room);
                        live.remove(room);
                    }
                }
            }
            slotsMoved();
        }

        private RoomName roomOf(Object channel) {
            if (!(channel instanceof byte[] name)) {
                return null;
            }
            String room = keys.roomOfChannel(new String(name, StandardCharsets.UTF_8));
            return room == null ? null : RoomName.of(room);
        }
    }

    // --- sending -----------------------------------------------------------------------------------

    @Override
    public Unsent send(List<Message> messages) {
        return publisher.send(messages);
    }

    @Override
    public void probe() {
        redis.pingMasters();
    }

    // --- state and lifecycle -----------------------------------------------------------------------

    @Override
    public boolean isLive(RoomName room) {
        return live.contains(room);
    }

    /** The slots are known and every room with a listener here is on a link that is up. */
    @Override
    public boolean subscribed() {
        if (!topologyKnown) {
            return false;
        }
        synchronized (lock) {
            for (RoomName room : wanted) {
                Link link = placed.get(room);
                if (link == null || link.connection == null) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public long subscriberConnections() {
        return connections.get();
    }

    @Override
    public void close() {
        running = false;
        maintenance.shutdownNow();
        List<Link> closing;
        synchronized (lock) {
            closing = List.copyOf(links.values());
            closing.forEach(Link::retire);
        }
        for (Link link : closing) {
            Threads.join(link.thread, Duration.ofSeconds(2));
        }
        redis.close();
    }

    private static byte[] bytes(String text) {
        return SafeEncoder.encode(text);
    }
}
