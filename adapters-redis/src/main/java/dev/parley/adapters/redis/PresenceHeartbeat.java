package dev.parley.adapters.redis;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The upkeep of one node's presence in Redis, for {@link RedisPresenceStore}:
 *
 * <ul>
 *   <li>liveness: the node sets its heartbeat key with a TTL of {@code presenceTtl} three times
 *       per TTL. A node that finds another's key gone removes that node's entries, one script per
 *       entry, and publishes the resulting {@code leave} events: whichever node's script takes a
 *       user's last connection out sends the one event;</li>
 *   <li>resync: whenever Redis may not hold what this node's own view ({@link LocalPresence})
 *       holds (an outage, a heartbeat that lapsed and let others remove its entries, a former run
 *       of the node, a cluster failover that lost the last writes), the next heartbeat writes the
 *       node's entries back, takes out what went away meanwhile, and publishes the transitions;</li>
 *   <li>whether Redis is reachable: calls answer from the node's view while it is not.</li>
 * </ul>
 */
final class PresenceHeartbeat {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceStore.class);

    private final RedisCommands redis;
    private final PresenceLayout layout;
    private final String node;
    private final long ttlMillis;
    private final Duration interval;
    private final LocalPresence local;
    private final Consumer<RoomEvent> publish;
    private final ScheduledExecutorService executor;
    /**
     * This run's heartbeat value: another value under our key means our key lapsed meanwhile. It
     * is renewed when it lapsed, so that entries written from then on are not those that nodes
     * cleaning up after the lapsed run remove (a cluster's fence).
     */
    private final AtomicReference<String> token;

    /** Calls share it; putting this node's entries back takes it alone, so no call interleaves. */
    private final ReadWriteLock resyncLock = new ReentrantReadWriteLock();
    /** Redis may not hold what {@link #local} holds: put it back at the next heartbeat. */
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final AtomicBoolean beatAsked = new AtomicBoolean();
    private volatile boolean reachable = true;
    /** No other node is judged dead before this (after a shared outage, see {@link PresenceLayout#outagesAreShared}). */
    private volatile long judgeDeadFromNanos = System.nanoTime();
    private volatile boolean registered;
    private volatile boolean running = true;

    PresenceHeartbeat(RedisCommands redis, PresenceLayout layout, RedisSettings settings, LocalPresence local,
                      AtomicReference<String> token, Consumer<RoomEvent> publish, ScheduledExecutorService executor) {
        this.redis = redis;
        this.layout = layout;
        this.node = settings.node().value();
        this.ttlMillis = settings.presenceTtl().toMillis();
        this.interval = settings.heartbeatInterval();
        this.local = local;
        this.token = token;
        this.publish = publish;
        this.executor = executor;
    }

    static String newToken() {
        return UUID.randomUUID().toString();
    }

    /** Starts beating (the first beat at once, in the background). */
    void start() {
        executor.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    // --- what calls ask ------------------------------------------------------------------------------

    /** Held (shared) by each call while it records itself here and in Redis. */
    Lock callLock() {
        return resyncLock.readLock();
    }

    boolean reachable() {
        return reachable;
    }

    /** A call was answered without Redis: Redis may lack it. */
    void answeredOffline() {
        dirty.set(true);
    }

    /** A call found Redis unreachable. */
    void unreachable(JedisException e) {
        if (reachable) {
            LOG.warn("Redis unavailable for presence; answering from this node's view until it is back: {}",
                    e.toString());
        }
        reachable = false;
        beatSoon();
    }

    /** An extra heartbeat at once (one, however many calls ask for it meanwhile). */
    void beatSoon() {
        if (running && beatAsked.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    beatAsked.set(false);
                    beat();
                });
            } catch (RuntimeException e) {
                beatAsked.set(false);
                LOG.debug("heartbeat not scheduled: {}", e.toString());
            }
        }
    }

    boolean healthy() {
        return reachable && layout.serving();
    }

    boolean registered() {
        return registered;
    }

    /** The node's heartbeat key was missing when a script looked. */
    static final class NotAlive extends RuntimeException {
        NotAlive() {
            super("node heartbeat missing", null, false, false);
        }
    }

    // --- the beat ------------------------------------------------------------------------------------

    /** Proves this node alive, puts its entries back if Redis may have lost them, and removes dead nodes'. */
    private void beat() {
        if (!running) {
            return;
        }
        try {
            redis.run(jedis -> {
                beatOn(jedis);
                return null;
            });
        } catch (JedisException e) {
            if (reachable) {
                LOG.warn("presence heartbeat failed; answering from this node's view until Redis is back: {}",
                        e.toString());
            }
            reachable = false;
            dirty.set(true);
        } catch (RuntimeException e) {
            LOG.error("presence heartbeat failed", e);
        }
    }

    private void beatOn(JedisCommands jedis) {
        String current = token.get();
        String previous = layout.beat(jedis, node, current, ttlMillis);
        if (previous == null && registered) {
            current = newToken();
            token.set(current);
            layout.beat(jedis, node, current, ttlMillis);
        }
        layout.register(jedis, node, current);
        if (!reachable) {
            LOG.info("Redis reachable again for presence; writing this node's entries back");
            reachable = true;
            if (layout.outagesAreShared()) {
                judgeDeadFromNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ttlMillis);
            }
        }
        if (!current.equals(previous)) {
            if (previous != null && registered) {
                LOG.warn("another process heartbeats as node {}: node ids must be unique", node);
            } else if (previous == null && registered) {
                LOG.warn("the heartbeat of node {} lapsed: other nodes may have removed its entries; "
                        + "writing them back", node);
            }
            dirty.set(true);
        }
        if (layout.mayHaveLostWrites()) {
            dirty.set(true);
        }
        if (dirty.get()) {
            resync(jedis);
        }
        registered = true;
        if (System.nanoTime() - judgeDeadFromNanos >= 0) {
            removeDeadNodes(jedis);
        }
    }

    /**
     * Makes Redis hold exactly this node's view of its own entries: takes out what Redis has and
     * the view has not (left while Redis was down, or a former run of this node), puts in what the
     * view has and Redis has not (joined while Redis was down, or removed by other nodes while our
     * heartbeat lapsed), and publishes the transitions that result. On a cluster every entry of
     * the view is written again, as the node's index cannot tell what a failover lost.
     */
    private void resync(JedisCommands jedis) {
        List<RoomEvent> transitions = new ArrayList<>();
        resyncLock.writeLock().lock();
        try {
            dirty.set(false);
            LocalPresence.Snapshot view = local.snapshot();
            PresenceLayout.Entries inRedis = layout.entries(jedis, node);
            boolean all = layout.rewritesAll();
            int removed = 0;
            int restored = 0;
            for (Map.Entry<String, String> entry : inRedis.memberships().entrySet()) {
                if (!view.memberships().containsKey(entry.getKey())) {
                    removed++;
                    removeMembership(entry.getKey(), entry.getValue(), transitions,
                            (room, connection, user) -> layout.leave(jedis, room, connection, user));
                }
            }
            for (LocalPresence.Membership membership : view.memberships().values()) {
                boolean missing = !inRedis.memberships().containsKey(membership.field());
                if (!missing && !all) {
                    continue;
                }
                List<?> answer = layout.join(jedis, membership.room(), membership.connection().value(),
                        membership.user());
                if ((Long) answer.get(0) < 0) {
                    throw new NotAlive();
                }
                if ((Long) answer.get(0) == 1) {
                    transitions.add(new RoomEvent.PresenceChanged(membership.room(), true, membership.user(),
                            ((Long) answer.get(1)).intValue(), membership.connection()));
                }
                if (missing || (Long) answer.get(0) == 1) {
                    restored++;
                }
            }
            for (Map.Entry<String, String> entry : inRedis.connections().entrySet()) {
                if (!view.connections().containsKey(ConnectionId.of(entry.getKey()))) {
                    removed++;
                    layout.release(jedis, entry.getValue(), entry.getKey());
                }
            }
            for (Map.Entry<ConnectionId, UserId> entry : view.connections().entrySet()) {
                boolean missing = !inRedis.connections().containsKey(entry.getKey().value());
                if (missing || all) {
                    restored += missing ? 1 : 0;
                    layout.restoreAdmission(jedis, entry.getValue(), entry.getKey().value());
                }
            }
            if (removed + restored > 0) {
                LOG.info("presence of node {} written back to Redis: {} entries restored, {} stale entries removed, "
                        + "{} presence changes published", node, restored, removed, transitions.size());
            }
        } catch (RuntimeException e) {
            dirty.set(true);
            throw e;
        } finally {
            resyncLock.writeLock().unlock();
        }
        transitions.forEach(publish);
    }

    // --- dead nodes ------------------------------------------------------------------------------------

    /** Takes the entries of every node whose heartbeat lapsed out of presence. */
    private void removeDeadNodes(JedisCommands jedis) {
        for (String other : layout.nodes(jedis)) {
            if (!other.equals(node) && !layout.alive(jedis, other)) {
                PresenceLayout.DeadNode dead = layout.deadNode(jedis, other);
                if (dead != null) {
                    removeDeadNode(jedis, dead);
                }
            }
        }
    }

    private void removeDeadNode(JedisCommands jedis, PresenceLayout.DeadNode dead) {
        PresenceLayout.Entries entries = dead.entries();
        if (!entries.isEmpty()) {
            LOG.info("node {} stopped its heartbeat: removing its {} connections and {} room memberships",
                    dead.node(), entries.connections().size(), entries.memberships().size());
        }
        List<RoomEvent> transitions = new ArrayList<>();
        try {
            for (Map.Entry<String, String> entry : entries.memberships().entrySet()) {
                if (!removeMembership(entry.getKey(), entry.getValue(), transitions,
                        (room, connection, user) -> layout.leaveOfDead(jedis, dead, room, connection, user))) {
                    return;
                }
            }
            for (Map.Entry<String, String> entry : entries.connections().entrySet()) {
                if (layout.releaseOfDead(jedis, dead, entry.getValue(), entry.getKey()) < 0) {
                    return;
                }
            }
        } finally {
            transitions.forEach(publish);
        }
        // Forgotten only once its leave events are on their way.
        layout.forget(jedis, dead.node());
    }

    @FunctionalInterface
    private interface Leave {
        List<?> leave(RoomName room, String connection, String user);
    }

    /** False when the node came back meanwhile (a dead node's entry). */
    private static boolean removeMembership(String field, String user, List<RoomEvent> transitions, Leave leave) {
        int space = field.indexOf(' ');
        RoomName room = RoomName.of(field.substring(0, space));
        String connection = field.substring(space + 1);
        List<?> answer = leave.leave(room, connection, user);
        if ((Long) answer.get(0) < 0) {
            return false;
        }
        PresenceChange change = RedisPresenceStore.changeOfLeave(answer, UserId.of(user));
        if (change instanceof PresenceChange.Left left) {
            transitions.add(new RoomEvent.PresenceChanged(room, false, left.user(), left.count(),
                    ConnectionId.of(connection)));
        }
        return true;
    }

    // --- stopping ---------------------------------------------------------------------------------------

    /** No beat starts from now on; the one under way may finish. */
    void stopBeating() {
        running = false;
        executor.shutdownNow();
    }

    void awaitStopped() {
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes whatever this node still has out of presence, publishing the leaves, and drops its
     * heartbeat key; if Redis is away, the other nodes do it once the key expires.
     */
    void retire() {
        List<RoomEvent> transitions = new ArrayList<>();
        try {
            redis.run(jedis -> {
                PresenceLayout.Entries entries = layout.entries(jedis, node);
                for (Map.Entry<String, String> entry : entries.memberships().entrySet()) {
                    removeMembership(entry.getKey(), entry.getValue(), transitions,
                            (room, connection, user) -> layout.leave(jedis, room, connection, user));
                }
                for (Map.Entry<String, String> entry : entries.connections().entrySet()) {
                    layout.release(jedis, entry.getValue(), entry.getKey());
                }
                layout.retire(jedis, node);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("cannot take this node out of presence at close; the other nodes will when its heartbeat "
                    + "expires: {}", e.toString());
        } finally {
            transitions.forEach(publish);
        }
    }
}
