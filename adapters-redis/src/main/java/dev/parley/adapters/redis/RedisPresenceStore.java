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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.commands.KeyCommands;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Presence across nodes (docs/protocol.md guarantee 5), in Redis:
 *
 * <ul>
 *   <li>per room, its connections, each user's number of connections, display names and arrival
 *       order; per user, their connections on every node (the per-user limit holds across nodes);
 *       per node, an index of its connections and memberships. Every change is written by Lua
 *       scripts ({@link PresenceScripts}, laid out for one server or a cluster by a
 *       {@link PresenceLayout}), so a user's first connection in and last out are reported
 *       exactly once whichever nodes their connections are on;</li>
 *   <li>node liveness, resyncs and dead nodes: {@link PresenceHeartbeat};</li>
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

    private final RedisCommands redis;
    private final PresenceLayout layout;
    private final RedisKeys keys;
    private final FanOut events;
    private final LocalPresence local = new LocalPresence();
    private final PresenceHeartbeat heartbeat;
    private final ExecutorService[] lanes = new ExecutorService[LANES];
    private volatile boolean running = true;

    /**
     * A presence store with connections of its own, which publishes the presence changes it finds
     * itself (dead nodes, resyncs) through {@code events}; {@link #start} starts its heartbeat.
     */
    public RedisPresenceStore(RedisSettings settings, FanOut events) {
        this(settings, events, Executors.newSingleThreadScheduledExecutor(
                runnable -> Threads.daemon(runnable, "parley-redis-heartbeat")));
    }

    /**
     * With the heartbeat's executor given, so that its owner can stop or hold it as a dead or paused
     * process would; the store shuts it down at {@link #close}.
     */
    RedisPresenceStore(RedisSettings settings, FanOut events, ScheduledExecutorService heartbeatExecutor) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(heartbeatExecutor, "heartbeatExecutor");
        this.events = Objects.requireNonNull(events, "events");
        String node = settings.node().value();
        this.keys = new RedisKeys(settings.keyPrefix(), settings.isCluster());
        AtomicReference<String> token = new AtomicReference<>(PresenceHeartbeat.newToken());
        if (settings.isCluster()) {
            ClusterConnector cluster = new ClusterConnector(settings);
            this.redis = cluster;
            this.layout = new ClusterPresence(cluster, keys, node, token::get);
        } else {
            this.redis = new RedisConnector(settings);
            this.layout = new ServerPresence(keys, node);
        }
        this.heartbeat = new PresenceHeartbeat(redis, layout, settings, local, token, this::publish,
                heartbeatExecutor);
        for (int i = 0; i < LANES; i++) {
            String name = "parley-redis-presence-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(runnable -> Threads.daemon(runnable, name));
        }
    }

    /** Starts the heartbeat (the first one at once, in the background). */
    public RedisPresenceStore start() {
        heartbeat.start();
        return this;
    }

    // --- the port ----------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Boolean> admitConnection(UserId user, ConnectionId connection, int maxPerUser) {
        return call(lane(connection), jedis -> {
            long answer = layout.admit(jedis, user, connection.value(), maxPerUser);
            if (answer < 0) {
                throw new PresenceHeartbeat.NotAlive();
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
            layout.release(jedis, user.value(), connection.value());
            return null;
        }, () -> null);
    }

    @Override
    public CompletableFuture<PresenceChange> join(RoomName room, ConnectionId connection, User user) {
        PresenceChange[] here = new PresenceChange[1];
        return call(lane(connection), () -> here[0] = local.join(room, connection, user), jedis -> {
            List<?> answer = layout.join(jedis, room, connection.value(), user);
            long outcome = (Long) answer.get(0);
            if (outcome < 0) {
                throw new PresenceHeartbeat.NotAlive();
            }
            int count = ((Long) answer.get(1)).intValue();
            return outcome == 1 ? new PresenceChange.Joined(user, count) : new PresenceChange.Unchanged(count);
        }, () -> here[0]);
    }

    @Override
    public CompletableFuture<PresenceChange> leave(RoomName room, ConnectionId connection, UserId user) {
        PresenceChange[] here = new PresenceChange[1];
        return call(lane(connection), () -> here[0] = local.leave(room, connection, user),
                jedis -> changeOfLeave(layout.leave(jedis, room, connection.value(), user.value()), user),
                () -> here[0]);
    }

    @Override
    public CompletableFuture<List<User>> members(RoomName room) {
        return call(lanes[Math.floorMod(room.hashCode(), LANES)], jedis -> layout.members(jedis, room),
                () -> local.members(room));
    }

    static PresenceChange changeOfLeave(List<?> answer, UserId user) {
        int count = ((Long) answer.get(1)).intValue();
        if ((Long) answer.get(0) == 1) {
            return new PresenceChange.Left(StoredUser.decode(user, (String) answer.get(2)), count);
        }
        return new PresenceChange.Unchanged(count);
    }

    /** Scans the rooms' keys (on a cluster, every master's): a listing for operators, not a hot path. */
    @Override
    public CompletableFuture<List<RoomOccupancy>> rooms(String prefix) {
        return call(lanes[Math.floorMod(prefix.hashCode(), LANES)], commands -> {
            List<RoomName> names = new ArrayList<>();
            String pattern = keys.roomsPattern(prefix);
            if (redis instanceof ClusterConnector cluster) {
                for (HostAndPort master : cluster.masters()) {
                    try (Connection connection = cluster.connection(master)) {
                        scanRooms(new Jedis(connection), pattern, names);
                    }
                }
            } else {
                scanRooms(commands, pattern, names);
            }
            names.sort(Comparator.comparing(RoomName::value));
            List<RoomOccupancy> rooms = new ArrayList<>(names.size());
            for (RoomName name : names) {
                String[] roomKeys = keys.room(name);
                long connections = commands.hlen(roomKeys[0]);
                long users = commands.zcard(roomKeys[3]);
                if (users > 0) {
                    rooms.add(new RoomOccupancy(name, (int) users, (int) Math.max(users, connections)));
                }
            }
            return rooms;
        }, () -> local.rooms(prefix));
    }

    private void scanRooms(KeyCommands node, String pattern, List<RoomName> into) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match = new ScanParams().match(pattern).count(500);
        do {
            ScanResult<String> page = node.scan(cursor, match);
            for (String key : page.getResult()) {
                String room = keys.roomOfConnectionsKey(key);
                if (room != null) {
                    into.add(RoomName.of(room));
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
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
                Lock shared = heartbeat.callLock();
                shared.lock();
                try {
                    here.run();
                    result = heartbeat.reachable() ? viaRedis(redisCall, fallback) : offline(fallback);
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                    return;
                } finally {
                    shared.unlock();
                }
                answer.complete(result);
            });
        } catch (RuntimeException e) {
            answer.completeExceptionally(e); // closed
        }
        return answer;
    }

    private <T> T viaRedis(RedisCall<T> redisCall, Supplier<T> fallback) {
        try {
            return redis.run(redisCall::apply);
        } catch (PresenceHeartbeat.NotAlive e) {
            // Other nodes may be removing our entries: answer from here, restore after the heartbeat.
            LOG.debug("presence heartbeat key missing; answering from this node's view");
            heartbeat.beatSoon();
            return offline(fallback);
        } catch (JedisDataException e) {
            if (!isOutage(e)) {
                throw e; // a script or a key of the wrong kind: a bug, not an outage
            }
            heartbeat.unreachable(e);
            return offline(fallback);
        } catch (JedisException e) {
            heartbeat.unreachable(e);
            return offline(fallback);
        }
    }

    /**
     * Errors Redis answers while it cannot serve writes for a while (loading, a replica, a busy
     * script, a cluster failing over or moving the slot).
     */
    private static boolean isOutage(JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("LOADING") || message.startsWith("READONLY") || message.startsWith("BUSY")
                || message.startsWith("MASTERDOWN") || message.startsWith("TRYAGAIN")
                || message.startsWith("CLUSTERDOWN") || message.startsWith("MOVED") || message.startsWith("ASK");
    }

    private <T> T offline(Supplier<T> fallback) {
        heartbeat.answeredOffline();
        return fallback.get();
    }

    @FunctionalInterface
    private interface RedisCall<T> {
        T apply(JedisCommands jedis);
    }

    private ExecutorService lane(ConnectionId connection) {
        return lanes[Math.floorMod(connection.hashCode(), LANES)];
    }

    private void publish(RoomEvent event) {
        events.publish(event).exceptionally(failure -> {
            LOG.warn("cannot publish a presence change of room {}: {}", event.room(), failure.toString());
            return null;
        });
    }

    // --- state and lifecycle -----------------------------------------------------------------------

    /** True while the last heartbeat reached Redis (and, on a cluster, every slot is served). */
    public boolean healthy() {
        return heartbeat.healthy();
    }

    /** Whether a heartbeat registered this node in Redis yet (entries are written from then on). */
    boolean registered() {
        return heartbeat.registered();
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
        heartbeat.stopBeating();
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
        heartbeat.awaitStopped();
        heartbeat.retire();
        redis.close();
    }
}
