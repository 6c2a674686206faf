package dev.parley.adapters.redis;

import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Presence across nodes (docs/protocol.md guarantee 5), in Redis:
 *
 * <ul>
 *   <li>per room, its connections, each user's number of connections, display names and arrival
 *       order; per user, their connections on every node (the per-user limit holds across nodes);
 *       per node, an index of its connections and memberships. Every change is one Lua script
 *       ({@link PresenceScripts}), so a user's first connection in and last out are reported
 *       exactly once whichever nodes their connections are on;</li>
 *   <li>node liveness: each node sets its heartbeat key with a TTL of {@code presenceTtl} three
 *       times per TTL. A node that finds another's key gone removes that node's entries, one
 *       script per entry, and publishes the resulting {@code leave} events through the fan-out:
 *       whichever node's script takes a user's last connection out sends the one event;</li>
 *   <li>Redis down: each node keeps its own entries in memory ({@link LocalPresence}) and answers
 *       from them alone, so connections, joins and leaves go on; when Redis is back (or after other
 *       nodes removed this node's entries because its heartbeat lapsed) the node writes its
 *       entries again, taking out what went away meanwhile, and publishes the transitions.</li>
 * </ul>
 *
 * Calls are answered on one of a few "lanes", each a thread of its own; the calls of one connection
 * always take the same lane, so Redis sees them in call order.
 */
public final class RedisPresenceStore implements PresenceStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisPresenceStore.class);
    private static final int LANES = 4;

    private final RedisConnector redis;
    private final FanOut events;
    private final RedisKeys keys;
    private final String node;
    private final long ttlMillis;
    private final Duration heartbeatInterval;
    /** This process's heartbeat value: another value under our key means our key lapsed meanwhile. */
    private final String token = UUID.randomUUID().toString();

    private final LocalPresence local = new LocalPresence();
    /** Calls share it; putting this node's entries back takes it alone, so no call interleaves. */
    private final ReadWriteLock resyncLock = new ReentrantReadWriteLock();
    /** Redis may not hold what {@link #local} holds: put it back at the next heartbeat. */
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private volatile boolean reachable = true;
    private final AtomicBoolean beatAsked = new AtomicBoolean();
    private volatile boolean registered;
    private volatile boolean running = true;

    private final ExecutorService[] lanes = new ExecutorService[LANES];
    private final ScheduledExecutorService heartbeat;

    /**
     * A presence store with connections of its own, which publishes the presence changes it finds
     * itself (dead nodes, resyncs) through {@code events}; {@link #start} starts its heartbeat.
     */
    public RedisPresenceStore(RedisSettings settings, FanOut events) {
        this(settings, events, Executors.newSingleThreadScheduledExecutor(
                runnable -> daemon(runnable, "parley-redis-heartbeat")));
    }

    /**
     * With the heartbeat's executor given, so that its owner can stop or hold it as a dead or paused
     * process would; the store shuts it down at {@link #close}.
     */
    RedisPresenceStore(RedisSettings settings, FanOut events, ScheduledExecutorService heartbeat) {
        Objects.requireNonNull(settings, "settings");
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.redis = new RedisConnector(settings);
        this.events = Objects.requireNonNull(events, "events");
        this.keys = new RedisKeys(settings.keyPrefix());
        this.node = settings.node().value();
        this.ttlMillis = settings.presenceTtl().toMillis();
        this.heartbeatInterval = settings.heartbeatInterval();
        for (int i = 0; i < LANES; i++) {
            String name = "parley-redis-presence-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, name));
        }
    }

    /** Starts the heartbeat (the first one at once, in the background). */
    public RedisPresenceStore start() {
        heartbeat.scheduleWithFixedDelay(this::beat, 0, heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    // --- the port ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Boolean> admitConnection(UserId user, ConnectionId connection, int maxPerUser) {
        return call(lane(connection), jedis -> {
            long answer = (Long) PresenceScripts.ADMIT.run(jedis,
                    List.of(keys.userConnections(user), keys.nodeConnections(node), keys.alive(node)),
                    List.of(connection.value(), Integer.toString(maxPerUser), node, user.value(), "0"));
            if (answer < 0) {
                throw new NotAlive();
            }
            if (answer == 1) {
                local.admitted(user, connection);
            }
            return answer == 1;
        }, () -> local.admitLocally(user, connection, maxPerUser));
    }

    @Override
    public CompletableFuture<Void> releaseConnection(UserId user, ConnectionId connection) {
        return call(lane(connection), () -> local.release(user, connection), jedis -> {
            release(jedis, user.value(), connection.value(), node, false);
            return null;
        }, () -> null);
    }

    @Override
    public CompletableFuture<PresenceChange> join(RoomName room, ConnectionId connection, User user) {
        PresenceChange[] here = new PresenceChange[1];
        return call(lane(connection), () -> here[0] = local.join(room, connection, user), jedis -> {
            List<?> answer = join(jedis, room, connection.value(), user);
            long outcome = (Long) answer.get(0);
            if (outcome < 0) {
                throw new NotAlive();
            }
            int count = ((Long) answer.get(1)).intValue();
            return outcome == 1 ? new PresenceChange.Joined(user, count) : new PresenceChange.Unchanged(count);
        }, () -> here[0]);
    }

    @Override
    public CompletableFuture<PresenceChange> leave(RoomName room, ConnectionId connection, UserId user) {
        PresenceChange[] here = new PresenceChange[1];
        return call(lane(connection), () -> here[0] = local.leave(room, connection, user), jedis -> {
            List<?> answer = leave(jedis, room, connection.value(), user.value(), node, false);
            return changeOfLeave(answer, user);
        }, () -> here[0]);
    }

    @Override
    public CompletableFuture<List<User>> members(RoomName room) {
        return call(lanes[Math.floorMod(room.hashCode(), LANES)], jedis -> {
            String[] roomKeys = keys.room(room);
            List<?> flat = (List<?>) PresenceScripts.MEMBERS.run(jedis, List.of(roomKeys[3], roomKeys[2]), List.of());
            List<User> members = new ArrayList<>(flat.size() / 2);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                members.add(StoredUser.decode(UserId.of((String) flat.get(i)), (String) flat.get(i + 1)));
            }
            return members;
        }, () -> local.members(room));
    }

    /** Scans the rooms' keys: a listing for operators, not a hot path. */
    @Override
    public CompletableFuture<List<RoomOccupancy>> rooms(String prefix) {
        return call(lanes[Math.floorMod(prefix.hashCode(), LANES)], jedis -> {
            String head = keys.roomsPrefix();
            List<RoomName> names = new ArrayList<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(head + prefix + "*" + RedisKeys.ROOM_CONNECTIONS).count(500);
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                for (String key : page.getResult()) {
                    names.add(RoomName.of(key.substring(head.length(), key.length() - RedisKeys.ROOM_CONNECTIONS.length())));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            names.sort(Comparator.comparing(RoomName::value));
            List<RoomOccupancy> rooms = new ArrayList<>(names.size());
            for (RoomName name : names) {
                String[] roomKeys = keys.room(name);
                long connections = jedis.hlen(roomKeys[0]);
                long users = jedis.zcard(roomKeys[3]);
                if (users > 0) {
                    rooms.add(new RoomOccupancy(name, (int) users, (int) Math.max(users, connections)));
                }
            }
            return rooms;
        }, () -> local.rooms(prefix));
    }

    // --- how calls run -----------------------------------------------------------------------------

    /** A call that needs Redis: the answer comes from Redis, or from this node's view while Redis is down. */
    private <T> CompletableFuture<T> call(ExecutorService lane, RedisCall<T> redisCall, Supplier<T> fallback) {
        return call(lane, () -> { }, redisCall, fallback);
    }

    /**
     * Records the call in this node's view first ({@code here}), then in Redis; the view is what
     * a later resync writes back, so it changes before Redis does.
     */
    private <T> CompletableFuture<T> call(ExecutorService lane, Runnable here, RedisCall<T> redisCall,
                                          Supplier<T> fallback) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            lane.execute(() -> {
                T result;
                resyncLock.readLock().lock();
                try {
                    here.run();
                    result = reachable ? viaRedis(redisCall, fallback) : offline(fallback);
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                    return;
                } finally {
                    resyncLock.readLock().unlock();
                }
                answer.complete(result);
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e); // closed
        }
        return answer;
    }

    private <T> T viaRedis(RedisCall<T> redisCall, Supplier<T> fallback) {
        try (Jedis jedis = redis.pooled()) {
            return redisCall.apply(jedis);
        } catch (NotAlive e) {
            // Other nodes may be removing our entries: answer from here, restore after the heartbeat.
            LOG.debug("presence heartbeat key missing; answering from this node's view");
            beatSoon();
            return offline(fallback);
        } catch (JedisDataException e) {
            if (!isOutage(e)) {
                throw e; // a script or a key of the wrong kind: a bug, not an outage
            }
            return unreachable(e, fallback);
        } catch (JedisException e) {
            return unreachable(e, fallback);
        }
    }

    private <T> T unreachable(JedisException e, Supplier<T> fallback) {
        if (reachable) {
            LOG.warn("Redis unavailable for presence; answering from this node's view until it is back: {}",
                    e.toString());
        }
        reachable = false;
        beatSoon();
        return offline(fallback);
    }

    /** Errors Redis answers while it cannot serve writes for a while (loading, a replica, a busy script). */
    private static boolean isOutage(JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("LOADING") || message.startsWith("READONLY") || message.startsWith("BUSY")
                || message.startsWith("MASTERDOWN") || message.startsWith("TRYAGAIN");
    }

    private <T> T offline(Supplier<T> fallback) {
        dirty.set(true);
        return fallback.get();
    }

    @FunctionalInterface
    private interface RedisCall<T> {
        T apply(Jedis jedis);
    }

    /** The node's heartbeat key was missing when a script looked. */
    private static final class NotAlive extends RuntimeException {
        NotAlive() {
            super("node heartbeat missing", null, false, false);
        }
    }

    private ExecutorService lane(ConnectionId connection) {
        return lanes[Math.floorMod(connection.hashCode(), LANES)];
    }

    // --- the scripts -------------------------------------------------------------------------------

    private List<?> join(Jedis jedis, RoomName room, String connection, User user) {
        List<String> scriptKeys = new ArrayList<>(Arrays.asList(keys.room(room)));
        scriptKeys.add(keys.nodeMembers(node));
        scriptKeys.add(keys.alive(node));
        return (List<?>) PresenceScripts.JOIN.run(jedis, scriptKeys,
                List.of(connection, user.id().value(), StoredUser.encode(user), RedisKeys.memberField(room, connection)));
    }

    private List<?> leave(Jedis jedis, RoomName room, String connection, String user, String ofNode,
                          boolean onlyIfDead) {
        List<String> scriptKeys = new ArrayList<>(Arrays.asList(keys.room(room)));
        scriptKeys.add(keys.nodeMembers(ofNode));
        scriptKeys.add(keys.alive(ofNode));
        return (List<?>) PresenceScripts.LEAVE.run(jedis, scriptKeys,
                List.of(connection, user, RedisKeys.memberField(room, connection), onlyIfDead ? "1" : "0"));
    }

    private long release(Jedis jedis, String user, String connection, String ofNode, boolean onlyIfDead) {
        return (Long) PresenceScripts.RELEASE.run(jedis,
                List.of(keys.userConnections(UserId.of(user)), keys.nodeConnections(ofNode), keys.alive(ofNode)),
                List.of(connection, onlyIfDead ? "1" : "0"));
    }

    private static PresenceChange changeOfLeave(List<?> answer, UserId user) {
        int count = ((Long) answer.get(1)).intValue();
        if ((Long) answer.get(0) == 1) {
            return new PresenceChange.Left(StoredUser.decode(user, (String) answer.get(2)), count);
        }
        return new PresenceChange.Unchanged(count);
    }

    // --- heartbeat, resync and dead nodes ---------------------------------------------------------

    /** An extra heartbeat at once (one, however many calls ask for it meanwhile). */
    private void beatSoon() {
        if (running && beatAsked.compareAndSet(false, true)) {
            try {
                heartbeat.execute(() -> {
                    beatAsked.set(false);
                    beat();
                });
            } catch (RuntimeException e) {
                beatAsked.set(false);
                LOG.debug("heartbeat not scheduled: {}", e.toString());
            }
        }
    }

    /** Proves this node alive, puts its entries back if Redis may have lost them, and removes dead nodes'. */
    private void beat() {
        if (!running) {
            return;
        }
        try (Jedis jedis = redis.pooled()) {
            String previous = jedis.setGet(keys.alive(node), token, SetParams.setParams().px(ttlMillis));
            jedis.sadd(keys.nodes(), node);
            if (!reachable) {
                LOG.info("Redis reachable again for presence; writing this node's entries back");
                reachable = true;
            }
            if (!token.equals(previous)) {
                if (previous != null && registered) {
                    LOG.warn("another process heartbeats as node {}: node ids must be unique", node);
                } else if (previous == null && registered) {
                    LOG.warn("the heartbeat of node {} lapsed: other nodes may have removed its entries; "
                            + "writing them back", node);
                }
                dirty.set(true);
            }
            if (dirty.get()) {
                resync(jedis);
            }
            registered = true;
            removeDeadNodes(jedis);
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

    /**
     * Makes Redis hold exactly this node's view of its own entries: takes out what Redis has and
     * the view has not (left while Redis was down, or a former run of this node), puts in what the
     * view has and Redis has not (joined while Redis was down, or removed by other nodes while our
     * heartbeat lapsed), and publishes the transitions that result.
     */
    private void resync(Jedis jedis) {
        List<RoomEvent> transitions = new ArrayList<>();
        resyncLock.writeLock().lock();
        try {
            dirty.set(false);
            LocalPresence.Snapshot view = local.snapshot();
            Map<String, String> memberships = jedis.hgetAll(keys.nodeMembers(node));
            Map<String, String> connections = jedis.hgetAll(keys.nodeConnections(node));
            int removed = 0;
            int restored = 0;
            for (Map.Entry<String, String> entry : memberships.entrySet()) {
                if (!view.memberships().containsKey(entry.getKey())) {
                    removed++;
                    removeMembership(jedis, entry.getKey(), entry.getValue(), node, false, transitions);
                }
            }
            for (LocalPresence.Membership membership : view.memberships().values()) {
                if (!memberships.containsKey(membership.field())) {
                    restored++;
                    List<?> answer = join(jedis, membership.room(), membership.connection().value(), membership.user());
                    if ((Long) answer.get(0) < 0) {
                        throw new NotAlive();
                    }
                    if ((Long) answer.get(0) == 1) {
                        transitions.add(new RoomEvent.PresenceChanged(membership.room(), true, membership.user(),
                                ((Long) answer.get(1)).intValue(), membership.connection()));
                    }
                }
            }
            for (Map.Entry<String, String> entry : connections.entrySet()) {
                if (!view.connections().containsKey(ConnectionId.of(entry.getKey()))) {
                    removed++;
                    release(jedis, entry.getValue(), entry.getKey(), node, false);
                }
            }
            for (Map.Entry<ConnectionId, UserId> entry : view.connections().entrySet()) {
                if (!connections.containsKey(entry.getKey().value())) {
                    restored++;
                    PresenceScripts.ADMIT.run(jedis,
                            List.of(keys.userConnections(entry.getValue()), keys.nodeConnections(node),
                                    keys.alive(node)),
                            List.of(entry.getKey().value(), "0", node, entry.getValue().value(), "1"));
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
        transitions.forEach(this::publish);
    }

    /** Takes the entries of every node whose heartbeat lapsed out of presence. */
    private void removeDeadNodes(Jedis jedis) {
        for (String other : jedis.smembers(keys.nodes())) {
            if (!other.equals(node) && !jedis.exists(keys.alive(other))) {
                removeDeadNode(jedis, other);
            }
        }
    }

    private void removeDeadNode(Jedis jedis, String dead) {
        Map<String, String> memberships = jedis.hgetAll(keys.nodeMembers(dead));
        Map<String, String> connections = jedis.hgetAll(keys.nodeConnections(dead));
        if (!memberships.isEmpty() || !connections.isEmpty()) {
            LOG.info("node {} stopped its heartbeat: removing its {} connections and {} room memberships",
                    dead, connections.size(), memberships.size());
        }
        List<RoomEvent> transitions = new ArrayList<>();
        try {
            for (Map.Entry<String, String> entry : memberships.entrySet()) {
                if (!removeMembership(jedis, entry.getKey(), entry.getValue(), dead, true, transitions)) {
                    return;
                }
            }
            for (Map.Entry<String, String> entry : connections.entrySet()) {
                if (release(jedis, entry.getValue(), entry.getKey(), dead, true) < 0) {
                    return;
                }
            }
        } finally {
            transitions.forEach(this::publish);
        }
        // Forgotten only once its leave events are on their way.
        PresenceScripts.FORGET.run(jedis,
                List.of(keys.nodes(), keys.alive(dead), keys.nodeConnections(dead), keys.nodeMembers(dead)),
                List.of(dead));
    }

    /** False when the node came back meanwhile (only-if-dead). */
    private boolean removeMembership(Jedis jedis, String field, String user, String ofNode, boolean onlyIfDead,
                                     List<RoomEvent> transitions) {
        int space = field.indexOf(' ');
        RoomName room = RoomName.of(field.substring(0, space));
        String connection = field.substring(space + 1);
        List<?> answer = leave(jedis, room, connection, user, ofNode, onlyIfDead);
        if ((Long) answer.get(0) < 0) {
            return false;
        }
        PresenceChange change = changeOfLeave(answer, UserId.of(user));
        if (change instanceof PresenceChange.Left left) {
            transitions.add(new RoomEvent.PresenceChanged(room, false, left.user(), left.count(),
                    ConnectionId.of(connection)));
        }
        return true;
    }

    private void publish(RoomEvent event) {
        events.publish(event).exceptionally(failure -> {
            LOG.warn("cannot publish a presence change of room {}: {}", event.room(), failure.toString());
            return null;
        });
    }

    // --- state and lifecycle -----------------------------------------------------------------------

    /** True while the last heartbeat reached Redis. */
    public boolean healthy() {
        return reachable;
    }

    /** Whether a heartbeat registered this node in Redis yet (entries are written from then on). */
    boolean registered() {
        return registered;
    }

    /**
     * Stops: lets the calls under way finish, then takes this node's remaining connections out of
     * presence (the others hear their leaves at once) and drops its heartbeat key. Close it before
     * the fan-out it publishes through.
     */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        heartbeat.shutdownNow();
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                lane.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            heartbeat.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        retire();
        redis.close();
    }

    /**
     * Takes whatever this node still has out of presence, publishing the leaves, and drops its
     * heartbeat key; if Redis is away, the other nodes do it once the key expires.
     */
    private void retire() {
        List<RoomEvent> transitions = new ArrayList<>();
        try (Jedis jedis = redis.pooled()) {
            for (Map.Entry<String, String> entry : jedis.hgetAll(keys.nodeMembers(node)).entrySet()) {
                removeMembership(jedis, entry.getKey(), entry.getValue(), node, false, transitions);
            }
            for (Map.Entry<String, String> entry : jedis.hgetAll(keys.nodeConnections(node)).entrySet()) {
                release(jedis, entry.getValue(), entry.getKey(), node, false);
            }
            jedis.del(keys.alive(node));
            jedis.srem(keys.nodes(), node);
        } catch (RuntimeException e) {
            LOG.warn("cannot take this node out of presence at close; the other nodes will when its heartbeat "
                    + "expires: {}", e.toString());
        } finally {
            transitions.forEach(this::publish);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
