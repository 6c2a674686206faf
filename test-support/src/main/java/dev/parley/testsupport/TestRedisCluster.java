package dev.parley.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.MigrateParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster for the tests: six {@code redis-server} processes on free loopback ports,
 * three masters and three replicas ({@code redis-cli --cluster create ... --cluster-replicas 1}),
 * in a temporary folder. {@link #shared()} gives one per JVM, started on first use and stopped
 * when the JVM exits. A test may kill a master with SIGKILL ({@link #kill}), wait for its
 * replica to take over, and {@link #restore} the six processes afterwards.
 *
 * <p>Without {@code redis-server} and {@code redis-cli} on the PATH a test fails when
 * {@code CI=true} and is skipped otherwise, as {@link TestServices} does. Processes left by a JVM
 * that died without stopping its cluster are killed when the next cluster starts.
 */
public final class TestRedisCluster implements AutoCloseable {
    /** Short, so that a failover takes seconds; long enough that a busy machine does not fail a master over by itself. */
    private static final Duration NODE_TIMEOUT = Duration.ofMillis(2000);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String DIR_PREFIX = "parley-redis-cluster-";
    private static final String OWNER_FILE = "owner.pid";

    private static TestRedisCluster shared;

    private final Path dir;
    private final String redisServer;
    private final Map<Integer, Process> processes = new LinkedHashMap<>();

    private TestRedisCluster(Path dir, String redisServer) {
        this.dir = dir;
        this.redisServer = redisServer;
    }

    /** The JVM's cluster, started on first use; a failed (CI) or skipped (elsewhere) test when it cannot run. */
    public static synchronized TestRedisCluster shared() {
        if (shared == null) {
            TestRedisCluster cluster = start();
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "stop-test-redis-cluster"));
            shared = cluster;
        }
        return shared;
    }

    private static TestRedisCluster start() {
        String server = executable("redis-server");
        String cli = executable("redis-cli");
        killLeftovers();
        for (int attempt = 1; ; attempt++) {
            TestRedisCluster cluster = null;
            try {
                Path dir = Files.createTempDirectory(DIR_PREFIX);
                Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
                cluster = new TestRedisCluster(dir, server);
                cluster.create(cli, freePorts(6));
                return cluster;
            } catch (IOException | RuntimeException e) {
                if (cluster != null) {
                    cluster.close();
                }
                // Another run may have taken a port between the check and the start: try other ports.
                if (attempt == 3) {
                    throw new IllegalStateException("cannot start a Redis Cluster for the tests", e);
                }
            }
        }
    }

    private void create(String cli, List<Integer> ports) throws IOException {
        for (int port : ports) {
            launch(port);
        }
        for (int port : ports) {
            awaitTrue("redis-server on port " + port + " answers", () -> answers(port));
        }
        List<String> command = new ArrayList<>(List.of(cli, "--cluster", "create"));
        ports.forEach(port -> command.add("127.0.0.1:" + port));
        command.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
        Process create = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("create.log").toFile()).start();
        try {
            if (!create.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS) || create.exitValue() != 0) {
                create.destroyForcibly();
                throw new IllegalStateException("redis-cli --cluster create failed: "
                        + Files.readString(dir.resolve("create.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        awaitReady();
    }

    private void launch(int port) throws IOException {
        List<String> command = List.of(redisServer, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
                "--cluster-node-timeout", Long.toString(NODE_TIMEOUT.toMillis()),
                // A replica takes over however long ago it last heard its master; the master ships
                // its data to a new replica at once rather than after the default 5 s.
                "--cluster-replica-validity-factor", "0", "--repl-diskless-sync-delay", "0",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--logfile", dir.resolve("redis-" + port + ".log").toString());
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Files.writeString(dir.resolve("redis-" + port + ".pid"), Long.toString(process.pid()));
        processes.put(port, process);
    }

    // --- what tests read ---------------------------------------------------------------------------

    /** The seed list a node takes ({@code PARLEY_REDIS_CLUSTER}): every process, {@code 127.0.0.1:port,...}. */
    public synchronized String seeds() {
        return processes.keySet().stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    public synchronized List<HostAndPort> nodes() {
        return processes.keySet().stream().map(port -> new HostAndPort("127.0.0.1", port)).toList();
    }

    /** The slot of a key or channel name, hash tags included. */
    public static int slotOf(String key) {
        return JedisClusterCRC16.getSlot(key);
    }

    /** The port of the master that serves a slot now, as a live master sees it. */
    public synchronized int masterOf(int slot) {
        for (int port : livePorts()) {
            try (Jedis jedis = connect(port)) {
                for (String line : jedis.clusterNodes().split("\n")) {
                    String[] fields = line.split(" ");
                    if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
                        continue;
                    }
                    for (int i = 8; i < fields.length; i++) {
                        if (covers(fields[i], slot)) {
                            return portOf(fields[1]);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no live master serves slot " + slot);
    }

    /** The port of a replica of the master on {@code masterPort}. */
    public synchronized int replicaOf(int masterPort) {
        for (int port : livePorts()) {
            try (Jedis jedis = connect(port)) {
                String replication = jedis.info("replication");
                if (replication.contains("role:slave") && replication.contains("master_port:" + masterPort + "\r")) {
                    return port;
                }
            } catch (RuntimeException e) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no live replica of " + masterPort);
    }

    /** Waits until every replica of the master on {@code masterPort} has all that it wrote so far. */
    public void awaitReplicated(int masterPort) {
        awaitTrue("the replicas of " + masterPort + " caught up", () -> {
            try (Jedis master = connect(masterPort)) {
                long written = -1;
                List<Long> replicated = new ArrayList<>();
                for (String line : master.info("replication").split("\r?\n")) {
                    if (line.startsWith("master_repl_offset:")) {
                        written = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    } else if (line.startsWith("slave") && line.contains("offset=")) {
                        String offset = line.substring(line.indexOf("offset=") + 7);
                        replicated.add(Long.parseLong(offset.substring(0, offset.indexOf(','))));
                    }
                }
                long target = written;
                return !replicated.isEmpty() && replicated.stream().allMatch(offset -> offset >= target);
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    // --- what tests do to it -----------------------------------------------------------------------

    /** SIGSTOP: the process holds still (a replica stops replicating) until {@link #thaw}. */
    public synchronized void freeze(int port) {
        signal(port, "STOP");
    }

    /**
     * Closes the master's replication connections, as a network cut would: with its replica
     * frozen, what the master is written from now on reaches no replica.
     */
    public synchronized void cutReplication(int masterPort) {
        try (Jedis master = connect(masterPort)) {
            master.clientKill(ClientKillParams.clientKillParams().type(ClientType.REPLICA));
        }
    }

    /** SIGCONT after {@link #freeze}. */
    public synchronized void thaw(int port) {
        signal(port, "CONT");
    }

    private void signal(int port, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(processes.get(port).pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " failed for port " + port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a crash would: no shutdown, its connections reset. */
    public synchronized void kill(int port) {
        Process process = processes.get(port);
        process.destroyForcibly();
        try {
            process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until another node serves {@code slot} and every live node says the cluster is ok. */
    public void awaitFailover(int slot, int deadMaster) {
        awaitTrue("a replica took over slot " + slot + " from " + deadMaster, () -> {
            try {
                return masterOf(slot) != deadMaster && clusterOk();
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    /** Starts killed processes again (each comes back as a replica) and waits until all six are ready. */
    public synchronized void restore() {
        try {
            for (Map.Entry<Integer, Process> entry : List.copyOf(processes.entrySet())) {
                if (!entry.getValue().isAlive()) {
                    launch(entry.getKey());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** Moves one slot, and the keys in it, to the master on {@code toPort}, as resharding does. */
    public synchronized void moveSlot(int slot, int toPort) {
        int fromPort = masterOf(slot);
        if (fromPort == toPort) {
            return;
        }
        try (Jedis from = connect(fromPort); Jedis to = connect(toPort)) {
            String fromId = from.clusterMyId();
            String toId = to.clusterMyId();
            to.clusterSetSlotImporting(slot, fromId);
            from.clusterSetSlotMigrating(slot, toId);
            List<String> keys;
            while (!(keys = from.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
                from.migrate("127.0.0.1", toPort, 5000, MigrateParams.migrateParams(), keys.toArray(new String[0]));
            }
            to.clusterSetSlotNode(slot, toId);
            from.clusterSetSlotNode(slot, toId);
        }
        String toId;
        try (Jedis to = connect(toPort)) {
            toId = to.clusterMyId();
        }
        for (int port : livePorts()) {
            try (Jedis jedis = connect(port)) {
                jedis.clusterSetSlotNode(slot, toId);
            } catch (RuntimeException e) {
                // a replica refuses SETSLOT; it learns the change from its master
            }
        }
        awaitTrue("slot " + slot + " served by " + toPort, () -> masterOf(slot) == toPort && clusterOk());
    }

    /** Deletes every key under {@code prefix}, one at a time (keys of one call must share a slot). */
    public synchronized void deleteKeys(String prefix) {
        for (int port : livePorts()) {
            try (Jedis jedis = connect(port)) {
                if (!jedis.info("replication").contains("role:master")) {
                    continue;
                }
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(prefix + "*").count(500));
                    page.getResult().forEach(jedis::del);
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            } catch (RuntimeException e) {
                // a node failing over: what it held goes with the cluster at the end of the run
            }
        }
    }

    /** Every live node says {@code cluster_state:ok}. */
    private synchronized boolean clusterOk() {
        for (int port : livePorts()) {
            try (Jedis jedis = connect(port)) {
                if (!jedis.clusterInfo().contains("cluster_state:ok")) {
                    return false;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Ready: every process is up, agrees that the cluster is ok with three masters holding slots,
     * and every replica has its master's data (so that it can take over).
     */
    public void awaitReady() {
        awaitTrue("the Redis Cluster in " + dir + " is ready", this::ready);
    }

    private synchronized boolean ready() {
        int replicasInSync = 0;
        for (int port : processes.keySet()) {
            try (Jedis jedis = connect(port)) {
                String info = jedis.clusterInfo();
                if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + processes.size())
                        || !info.contains("cluster_size:3")) {
                    return false;
                }
                String replication = jedis.info("replication");
                if (replication.contains("role:slave")) {
                    if (!replication.contains("master_link_status:up")) {
                        return false;
                    }
                    replicasInSync++;
                }
            } catch (RuntimeException e) {
                return false;
            }
        }
        return replicasInSync == processes.size() - 3;
    }

    @Override
    public synchronized void close() {
        for (Process process : processes.values()) {
            process.destroyForcibly();
        }
        for (Process process : processes.values()) {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(dir);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private List<Integer> livePorts() {
        return processes.entrySet().stream().filter(entry -> entry.getValue().isAlive()).map(Map.Entry::getKey)
                .toList();
    }

    private static boolean covers(String range, int slot) {
        if (range.startsWith("[")) {
            return false; // a slot being imported or migrated, not yet served
        }
        int dash = range.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
        return slot >= first && slot <= last;
    }

    /** {@code 127.0.0.1:7000@17000} -> 7000. */
    private static int portOf(String address) {
        int colon = address.lastIndexOf(':');
        int at = address.indexOf('@');
        return Integer.parseInt(address.substring(colon + 1, at < 0 ? address.length() : at));
    }

    private static Jedis connect(int port) {
        return new Jedis(new HostAndPort("127.0.0.1", port), DefaultJedisClientConfig.builder()
                .timeoutMillis(2000).serverDefaultProtocol().build());
    }

    private static boolean answers(int port) {
        try (Jedis jedis = connect(port)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + PATIENCE.toSeconds() + " s waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Ports p with p + 10000 (the cluster bus) free as well, chosen at random below the ephemeral
     * range so that runs beside each other rarely collide.
     */
    private static List<Integer> freePorts(int count) {
        List<Integer> ports = new ArrayList<>();
        while (ports.size() < count) {
            int port = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            if (!ports.contains(port) && free(port) && free(port + 10_000)) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The program on the PATH, or a failed (CI) or skipped (elsewhere) test. */
    private static String executable(String name) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, name))
                .filter(Files::isExecutable)
                .findFirst();
        if (found.isPresent()) {
            return found.get().toString();
        }
        String message = "no " + name + " on the PATH for the Redis Cluster tests";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            return Assertions.fail(message + " (CI=true: failing instead of skipping)");
        }
        System.err.println("!!! SKIPPED: " + message + "; install Redis 7 !!!");
        return Assumptions.abort(message);
    }

    /**
     * Kills the processes of clusters whose JVM is gone (killed before its shutdown hook ran) and
     * deletes their folders; a cluster whose JVM still runs (another test run) is left alone.
     */
    private static void killLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> dirs = Files.list(tmp)) {
            for (Path leftover : dirs.filter(path -> path.getFileName().toString().startsWith(DIR_PREFIX)).toList()) {
                Path owner = leftover.resolve(OWNER_FILE);
                if (Files.exists(owner) && alive(Files.readString(owner).trim())) {
                    continue;
                }
                try (Stream<Path> files = Files.list(leftover)) {
                    for (Path pidFile : files.filter(path -> path.toString().endsWith(".pid")).toList()) {
                        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                                .filter(process -> process.info().command().orElse("").endsWith("redis-server"))
                                .ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                deleteTree(leftover);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("could not clean up former test clusters: " + e);
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("could not delete " + root + ": " + e);
        }
    }
}
