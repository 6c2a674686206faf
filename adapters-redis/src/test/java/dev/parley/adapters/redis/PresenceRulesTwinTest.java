package dev.parley.adapters.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.Presence;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserConnections;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.commands.JedisCommands;

/**
 * The presence rules have an atomic twin in the Lua scripts ({@link PresenceScripts}): a user's
 * first connection in and last out, and the per-user connection limit, are decided on the Redis
 * server. That twin may stay only while it agrees with the domain ({@link Presence},
 * {@link UserConnections}), so every sequence here runs through both, and each step must answer
 * the same (transition and count, or admitted) and leave the same members, in the same order, and
 * the same number of connections per user. This class runs the one-server scripts;
 * {@link ClusterPresenceRulesTwinTest} runs the same table through the cluster's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PresenceRulesTwinTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private String prefix;
    private RedisKeys keys;
    private RedisFanOut fanOut;
    private RedisPresenceStore store;
    /** Reads Redis itself, never the store's own view, which answers only while Redis cannot. */
    private JedisCommands redis;
    private AutoCloseable reader;

    /** The node's settings under {@code prefix}: one Redis server here. */
    protected RedisSettings settings(String prefix) {
        return TestRedis.settings(prefix, "twin");
    }

    /** A connection of the test's own to read Redis with. */
    protected JedisCommands reader() {
        return TestRedis.connect();
    }

    protected void deleteKeys(String prefix) {
        TestRedis.deleteKeys(prefix);
    }

    @BeforeAll
    void startStore() {
        prefix = TestRedis.uniquePrefix("presence-twin");
        // A long TTL: the node's heartbeat key cannot lapse, so every answer comes from the scripts.
        RedisSettings settings = settings(prefix).withPresenceTtl(Duration.ofMinutes(1));
        keys = new RedisKeys(prefix, settings.isCluster());
        fanOut = new RedisFanOut(settings).start();
        store = new RedisPresenceStore(settings, fanOut).start();
        Awaitility.await().atMost(TIMEOUT).until(store::registered);
        redis = reader();
        reader = (AutoCloseable) redis;
    }

    @AfterAll
    void stopStore() throws Exception {
        // Nothing opened when Redis was missing and the class was skipped.
        if (reader != null) {
            reader.close();
        }
        if (store != null) {
            store.close();
        }
        if (fanOut != null) {
            fanOut.close();
            deleteKeys(prefix);
        }
    }

    // --- the table ---------------------------------------------------------------------------------

    Stream<Arguments> sequences() {
        return Stream.of(
                sequence("two tabs of one user: only the first in joins and the last out leaves",
                        join("lobby", "a1", "alice"), join("lobby", "a2", "alice"),
                        leave("lobby", "a1", "alice"), leave("lobby", "a2", "alice")),
                sequence("a connection joining again is unchanged and its one leave is the last out",
                        join("lobby", "a1", "alice"), join("lobby", "a1", "alice"), leave("lobby", "a1", "alice")),
                sequence("a leave by a connection that is no member changes nothing",
                        join("lobby", "a1", "alice"), leave("lobby", "b1", "bob"), leave("lobby", "a2", "alice"),
                        leave("lobby", "a1", "alice")),
                sequence("a leave naming another user than the member changes nothing",
                        join("lobby", "a1", "alice"), join("lobby", "b1", "bob"), leave("lobby", "a1", "bob"),
                        leave("lobby", "b1", "alice"), leave("lobby", "a1", "alice"), leave("lobby", "b1", "bob")),
                sequence("a member connection joining as another user changes nothing",
                        join("lobby", "a1", "alice"), join("lobby", "a1", "bob"), leave("lobby", "a1", "bob"),
                        join("lobby", "b1", "bob"), leave("lobby", "a1", "alice"), join("lobby", "a1", "bob"),
                        leave("lobby", "b1", "bob"), leave("lobby", "a1", "bob")),
                sequence("members are listed once each in arrival order; a user back later comes last",
                        join("lobby", "c1", "carol"), join("lobby", "a1", "alice"), join("lobby", "b1", "bob"),
                        join("lobby", "c2", "carol"), leave("lobby", "a1", "alice"), join("lobby", "a2", "alice"),
                        leave("lobby", "c1", "carol")),
                sequence("a user whose first tab leaves keeps their place while another stays",
                        join("lobby", "a1", "alice"), join("lobby", "b1", "bob"), join("lobby", "a2", "alice"),
                        leave("lobby", "a1", "alice"), join("lobby", "c1", "carol"), leave("lobby", "a2", "alice")),
                sequence("a new tab with a new display name renames the user, the leave carries the new name",
                        join("lobby", "a1", "alice"), join("lobby", "b1", "bob"),
                        join("lobby", "a2", "alice", "Alice Liddell"), leave("lobby", "a1", "alice"),
                        leave("lobby", "a2", "alice")),
                sequence("a connection joining again with a new display name renames the user",
                        join("lobby", "a1", "alice"), join("lobby", "a1", "alice", "Ally"),
                        join("lobby", "a2", "alice", "Alice"), join("lobby", "a1", "alice", "Ally"),
                        leave("lobby", "a2", "alice"), leave("lobby", "a1", "alice")),
                sequence("a room nobody joined, and leaving twice",
                        leave("empty", "a1", "alice"), join("lobby", "a1", "alice"), leave("lobby", "a1", "alice"),
                        leave("lobby", "a1", "alice"), join("lobby", "a1", "alice")),
                sequence("one connection in two rooms: the rooms are independent",
                        leave("second", "a1", "alice"), join("first", "a1", "alice"), join("second", "a1", "alice"),
                        join("second", "b1", "bob"), leave("first", "a1", "alice"), join("first", "b1", "bob"),
                        leave("second", "a1", "alice"), leave("second", "b1", "bob")),
                sequence("four users with several tabs leave in another order than they came",
                        join("lobby", "a1", "alice"), join("lobby", "b1", "bob"), join("lobby", "b2", "bob"),
                        join("lobby", "c1", "carol"), join("lobby", "d1", "dave"), join("lobby", "a2", "alice"),
                        leave("lobby", "c1", "carol"), leave("lobby", "b2", "bob"), leave("lobby", "a1", "alice"),
                        leave("lobby", "d1", "dave"), leave("lobby", "b1", "bob"), leave("lobby", "a2", "alice")),
                sequence("a limit of two: the third is refused until one is released",
                        admit("alice", "a1", 2), admit("alice", "a2", 2), admit("alice", "a3", 2),
                        release("alice", "a1"), admit("alice", "a3", 2), admit("alice", "a4", 2)),
                sequence("a connection admitted twice takes one place",
                        admit("alice", "a1", 2), admit("alice", "a1", 2), admit("alice", "a2", 2),
                        admit("alice", "a3", 2), admit("alice", "a1", 2)),
                sequence("at the limit, the connections already admitted are admitted again",
                        admit("alice", "a1", 1), admit("alice", "a2", 1), admit("alice", "a1", 1),
                        admit("alice", "a1", 3), admit("alice", "a2", 3), admit("alice", "a3", 2)),
                sequence("releasing an unknown connection, or another user's, frees no place",
                        admit("alice", "a1", 1), release("alice", "a9"), release("bob", "a1"), release("bob", "b1"),
                        admit("alice", "a2", 1), release("alice", "a1"), release("alice", "a1"),
                        admit("alice", "a2", 1)),
                sequence("the limit is per user, even for one connection id",
                        admit("alice", "a1", 1), admit("bob", "b1", 1), admit("bob", "a1", 2), admit("bob", "b2", 2),
                        release("alice", "a1"), admit("bob", "b3", 3), admit("alice", "a2", 1)),
                sequence("a limit of zero admits nobody new",
                        admit("alice", "a1", 0), admit("alice", "a1", 1), admit("alice", "a1", 0),
                        admit("alice", "a2", 0)),
                sequence("a connection's whole life: admitted, in rooms, out, released, and its place reused",
                        admit("alice", "a1", 2), admit("bob", "b1", 2), admit("alice", "a2", 2),
                        join("lobby", "a1", "alice"), join("lobby", "b1", "bob"), join("games", "a2", "alice"),
                        join("lobby", "a2", "alice"), admit("alice", "a3", 2), leave("lobby", "a1", "alice"),
                        release("alice", "a1"), admit("alice", "a3", 2), join("lobby", "a3", "alice", "Al"),
                        leave("lobby", "a2", "alice"), leave("games", "a2", "alice"), release("alice", "a2"),
                        leave("lobby", "b1", "bob"), release("bob", "b1"), leave("lobby", "a3", "alice"),
                        release("alice", "a3"), admit("alice", "a4", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void given_a_sequence_when_run_on_the_domain_and_on_the_scripts_then_every_step_answers_the_same(String title,
                                                                                      List<Step> steps) {
        runOnBoth(steps, UUID.randomUUID().toString().substring(0, 8));
    }

    /** Random sequences of three users sharing four connection ids over two rooms. */
    @Test
    void given_random_sequences_when_run_on_the_domain_and_on_the_scripts_then_every_step_answers_the_same() {
        String[] users = {"alice", "bob", "carol"};
        String[] rooms = {"lobby", "games"};
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            List<Step> steps = new ArrayList<>();
            for (int i = 0, size = 1 + random.nextInt(40); i < size; i++) {
                String user = users[random.nextInt(users.length)];
                String connection = "c" + random.nextInt(4);
                String room = rooms[random.nextInt(rooms.length)];
                int kind = random.nextInt(10);
                if (kind < 4) {
                    steps.add(join(room, connection, user, random.nextBoolean() ? user : user.toUpperCase()));
                } else if (kind < 7) {
                    steps.add(leave(room, connection, user));
                } else if (kind < 9) {
                    steps.add(admit(user, connection, random.nextInt(4)));
                } else {
                    steps.add(release(user, connection));
                }
            }
            try {
                runOnBoth(steps, "s" + seed + "-" + UUID.randomUUID().toString().substring(0, 6));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ", steps " + steps, e);
            }
        }
    }

    // --- running a sequence on both ------------------------------------------------------------------

    /** One call: the labels become ids of this run only ({@code suffix}), as the store is shared by all. */
    sealed interface Step permits Admit, Release, Join, Leave {
    }

    record Admit(String user, String connection, int maxPerUser) implements Step {
    }

    record Release(String user, String connection) implements Step {
    }

    record Join(String room, String connection, String user, String name) implements Step {
    }

    record Leave(String room, String connection, String user) implements Step {
    }

    private void runOnBoth(List<Step> steps, String suffix) {
        Map<RoomName, Presence> rooms = new HashMap<>();
        UserConnections connections = new UserConnections();
        Set<RoomName> roomsSeen = new LinkedHashSet<>();
        Set<UserId> usersSeen = new LinkedHashSet<>();

        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Object domain;
            Object scripts;
            if (step instanceof Admit admit) {
                UserId user = userId(admit.user(), suffix);
                ConnectionId connection = connection(admit.connection(), suffix);
                usersSeen.add(user);
                domain = connections.admit(user, connection, admit.maxPerUser());
                scripts = get(store.admitConnection(user, connection, admit.maxPerUser()));
            } else if (step instanceof Release release) {
                UserId user = userId(release.user(), suffix);
                ConnectionId connection = connection(release.connection(), suffix);
                usersSeen.add(user);
                connections.release(user, connection);
                domain = null;
                scripts = get(store.releaseConnection(user, connection));
            } else if (step instanceof Join join) {
                RoomName room = room(join.room(), suffix);
                User user = new User(userId(join.user(), suffix), join.name());
                ConnectionId connection = connection(join.connection(), suffix);
                roomsSeen.add(room);
                domain = rooms.computeIfAbsent(room, name -> new Presence()).join(connection, user);
                scripts = get(store.join(room, connection, user));
            } else {
                Leave leave = (Leave) step;
                RoomName room = room(leave.room(), suffix);
                UserId user = userId(leave.user(), suffix);
                ConnectionId connection = connection(leave.connection(), suffix);
                roomsSeen.add(room);
                domain = rooms.computeIfAbsent(room, name -> new Presence()).leave(connection, user);
                scripts = get(store.leave(room, connection, user));
            }

            String at = "step " + (i + 1) + " " + step;
            assertThat(scripts).as(at).isEqualTo(domain);
            for (RoomName room : roomsSeen) {
                Presence presence = rooms.get(room);
                assertThat(get(store.members(room))).as(at + ": members of " + room).isEqualTo(presence.members());
                assertThat(redis.zcard(keys.room(room)[3])).as(at + ": users present in Redis in " + room)
                        .isEqualTo(presence.count());
            }
            for (UserId user : usersSeen) {
                assertThat(redis.hlen(keys.userConnections(user))).as(at + ": connections of " + user + " in Redis")
                        .isEqualTo(connections.count(user));
            }
        }
        assertThat(store.healthy()).as("the store reached Redis throughout").isTrue();
    }

    private static Step admit(String user, String connection, int maxPerUser) {
        return new Admit(user, connection, maxPerUser);
    }

    private static Step release(String user, String connection) {
        return new Release(user, connection);
    }

    private static Step join(String room, String connection, String user) {
        return join(room, connection, user, Character.toUpperCase(user.charAt(0)) + user.substring(1));
    }

    private static Step join(String room, String connection, String user, String name) {
        return new Join(room, connection, user, name);
    }

    private static Step leave(String room, String connection, String user) {
        return new Leave(room, connection, user);
    }

    private static Arguments sequence(String title, Step... steps) {
        return Arguments.of(title, List.of(steps));
    }

    private static UserId userId(String label, String suffix) {
        return UserId.of(label + "-" + suffix);
    }

    private static ConnectionId connection(String label, String suffix) {
        return ConnectionId.of(label + "-" + suffix);
    }

    private static RoomName room(String label, String suffix) {
        return RoomName.of("twin-" + label + "-" + suffix);
    }

    private static <T> T get(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        }
    }
}
