package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.testsupport.TestRedisCluster;
import dev.parley.testsupport.TestServices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Several nodes of one cluster for the scale-out tests: each on a free port, all on the test
 * Redis (or, {@link #onRedisCluster()}, the tests' Redis Cluster) and one PostgreSQL schema of
 * their own (found by {@link TestServices}; without them the tests fail when {@code CI=true} and
 * are skipped, loudly, otherwise). Node ids carry a random suffix, rooms and users are unique per
 * test.
 */
final class ScaleOut implements AutoCloseable {
    static final Duration TTL = Duration.ofSeconds(3);
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("Parley listening on https?://[^:]+:(\\d+)/ws");

    /** The one Redis server's URL; null on a Redis Cluster. */
    final String redisUrl;
    /** Null on one Redis server. */
    private final TestRedisCluster redisCluster;
    private final String redisFlag;
    private final String redis;
    private final String postgresUrl;
    private final String schema;
    private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private final List<AutoCloseable> nodes = new ArrayList<>();

    ScaleOut() {
        this(null);
    }

    private ScaleOut(TestRedisCluster redisCluster) {
        this.redisCluster = redisCluster;
        this.redisUrl = redisCluster == null ? TestServices.redisUrl() : null;
        this.redisFlag = redisCluster == null ? "--redis-url" : "--redis-cluster";
        this.redis = redisCluster == null ? redisUrl : redisCluster.seeds();
        String url = TestServices.postgresUrl();
        this.schema = "parley_test_scaleout_" + run;
        this.postgresUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** Nodes on the tests' Redis Cluster ({@link TestRedisCluster#shared()}) instead of one Redis server. */
    static ScaleOut onRedisCluster() {
        return new ScaleOut(TestRedisCluster.shared());
    }

    /** The Redis Cluster the nodes use; null on one Redis server. */
    TestRedisCluster redisCluster() {
        return redisCluster;
    }

    /** This cluster's name for a node: unique on the shared Redis. */
    String nodeId(String name) {
        return name + "-" + run;
    }

    /** The flags of a node of this cluster; {@code extra} (flag, value pairs) adds to them or replaces them. */
    private String[] flags(String name, String redis, String... extra) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--port", "0");
        flags.put("--node-id", nodeId(name));
        flags.put("--postgres-url", postgresUrl);
        flags.put(redisFlag, redis);
        flags.put("--presence-ttl-ms", Long.toString(TTL.toMillis()));
        flags.put("--jwt-secret", Tokens.SECRET);
        flags.put("--admin-key", E2E.ADMIN_KEY);
        flags.put("--rate-per-second", "1000");
        flags.put("--rate-burst", "1000");
        for (int i = 0; i + 1 < extra.length; i += 2) {
            flags.put(extra[i], extra[i + 1]);
        }
        List<String> args = new ArrayList<>();
        flags.forEach((flag, value) -> {
            args.add(flag);
            args.add(value);
        });
        return args.toArray(String[]::new);
    }

    /** A node in this JVM. */
    RunningServer start(String name, String... extra) {
        return startVia(redis, name, extra);
    }

    /** A node in this JVM that reaches Redis at another URL (through a proxy, say). */
    RunningServer startVia(String redis, String name, String... extra) {
        RunningServer server = RunningServer.start(ParleyConfig.fromArgs(flags(name, redis, extra)));
        nodes.add(server);
        return server;
    }

    /** A node in a process of its own, which a test can kill as {@code kill -9} would. */
    NodeProcess startProcess(String name, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParleyServer.class.getName()));
        command.addAll(Arrays.asList(flags(name, redis, extra)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        NodeProcess node = new NodeProcess(process);
        nodes.add(node);
        return node;
    }

    /** A node in its own process: its port once it listens, and a hard kill. */
    static final class NodeProcess implements AutoCloseable {
        private final Process process;
        private final CompletableFuture<Integer> port = new CompletableFuture<>();

        private NodeProcess(Process process) {
            this.process = process;
            Thread reader = new Thread(this::read, "node-process-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.err.println("[node process] " + line);
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                // the process is gone
            } finally {
                port.completeExceptionally(new IllegalStateException("the node process ended before it listened"));
            }
        }

        int port() throws Exception {
            return port.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** SIGKILL: no drain, no cleanup, its TCP connections reset by the kernel. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }

    // --- clients and what they heard ------------------------------------------------------------

    static TestClient connect(RunningServer node, String user) {
        return connect(node.port(), user);
    }

    static TestClient connect(int port, String user) {
        TestClient client = TestClient.connect(port, Tokens.of(user));
        client.welcome();
        return client;
    }

    /** The presence events a client got, as "join alice" / "leave bob", in arrival order. */
    static List<String> presence(TestClient client, String room) {
        return client.received("presence").stream()
                .map(frame -> frame.get("payload"))
                .filter(payload -> payload.path("room").asText().equals(room))
                .map(payload -> payload.path("event").asText() + " " + payload.path("user").path("id").asText())
                .collect(Collectors.toList());
    }

    /** The present users of a room by the HTTP API of a node, ids in arrival order. */
    static List<String> members(int port, String room) {
        JsonNode body = E2E.json(E2E.get(port, "/api/rooms/" + room + "/presence", E2E.admin()));
        List<String> ids = new ArrayList<>();
        body.path("members").forEach(member -> ids.add(member.path("id").asText()));
        return ids;
    }

    static String health(int port) {
        return E2E.get(port, "/health").body();
    }

    /**
     * Each client sends a chat and every listener waits for all of them. A node sends its events in
     * the order they were published, so once a listener has these markers it has everything each
     * marker's node published before.
     */
    static void awaitMarkers(String room, List<TestClient> senders, List<TestClient> listeners) {
        List<String> texts = new ArrayList<>();
        for (TestClient sender : senders) {
            String text = "marker " + UUID.randomUUID();
            texts.add(text);
            sender.chat(room, text);
        }
        for (TestClient listener : listeners) {
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(listener.received("chat").stream()
                    .map(frame -> frame.path("payload").path("text").asText()).toList()).containsAll(texts));
        }
    }

    // --- Redis as an operator sees it -----------------------------------------------------------

    /** {@code CLIENT KILL} of a node's pub/sub connection (one Redis server); how many were killed. */
    int killSubscriber(String name) {
        String clientName = "parley-sub-" + nodeId(name);
        int killed = 0;
        try (Jedis jedis = new Jedis(URI.create(redisUrl))) {
            for (String line : jedis.clientList().split("\n")) {
                if (line.contains(" name=" + clientName + " ")) {
                    int start = line.indexOf("id=") + 3;
                    killed += (int) jedis.clientKill(ClientKillParams.clientKillParams()
                            .id(line.substring(start, line.indexOf(' ', start))));
                }
            }
        }
        return killed;
    }

    /** Whether the cluster still counts a node among its members (a dead one is forgotten once cleaned up). */
    boolean isKnownNode(String name) {
        if (redisCluster != null) {
            try (RedisClusterClient client = RedisClusterClient.create(new HashSet<>(redisCluster.nodes()))) {
                return client.sismember("parley:nodes", nodeId(name));
            }
        }
        try (Jedis jedis = new Jedis(URI.create(redisUrl))) {
            return jedis.sismember("parley:nodes", nodeId(name));
        }
    }

    @Override
    public void close() throws Exception {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        try (Connection connection = DriverManager.getConnection(postgresUrl.replaceFirst("[?&]currentSchema=[^&]*", ""));
             PreparedStatement drop = connection.prepareStatement("DROP SCHEMA IF EXISTS " + schema + " CASCADE")) {
            drop.execute();
        }
    }
}
