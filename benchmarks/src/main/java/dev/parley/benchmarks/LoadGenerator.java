package dev.parley.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import org.HdrHistogram.Histogram;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives a running Parley server over the real protocol, on loopback only, and prints what it
 * measured. Every run is bounded in time and stops by itself.
 */
@Command(name = "parley-load", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load generator for a running Parley server (loopback only).",
        subcommands = {LoadGenerator.Publish.class, LoadGenerator.Idle.class, LoadGenerator.Storm.class,
            DurableAppends.class, DropSchema.class})
public final class LoadGenerator {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as main runs it: later flags override the scenario defaults of benchmarks/run.sh. */
    static CommandLine commandLine() {
        return new CommandLine(new LoadGenerator()).setOverwrittenOptionsAllowed(true)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    static class Common {
        @Option(names = "--url", defaultValue = "ws://127.0.0.1:8080/ws", paramLabel = "<url>[,<url>...]",
                description = "Server /ws URL (loopback); several, comma-separated, spread the members round robin"
                        + " over several nodes")
        String urls;

        @Option(names = "--server-pid", paramLabel = "<pid>[,<pid>...]",
                description = "Server process id(s): samples RSS and CPU from /proc, one figure per pid")
        String serverPids;

        @Option(names = "--connections", defaultValue = "1000", description = "Connections to open")
        int connections;

        @Option(names = "--out", description = "Directory for CSV and chart output")
        Path out;

        @Option(names = "--io-threads", defaultValue = "2", description = "Generator IO threads")
        int ioThreads;

        @Option(names = "--peer", defaultValue = "parley", paramLabel = "parley|ws|socketio",
                description = "The server's dialect: Parley, or a peer of benchmarks/peers (the bare Node ws"
                        + " broadcast server, or the Socket.IO server; --url then names its ws://host:port)")
        Peer peer;

        XnioWorker worker;
        ByteBufferPool buffers;
        /** The first server pid's sampler (idle), or null. */
        ProcessSampler server;
        List<ProcessSampler> servers = List.of();
        final ProcessSampler self = ProcessSampler.self();

        void open() {
            urls();
            try {
                worker = Xnio.getInstance().createWorker(OptionMap.builder()
                        .set(Options.WORKER_IO_THREADS, ioThreads).set(Options.TCP_NODELAY, true).getMap());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            buffers = new DefaultByteBufferPool(true, 16 * 1024);
            servers = serverPids == null ? List.of() : splitList(serverPids).stream().map(ProcessSampler::new).toList();
            server = servers.isEmpty() ? null : servers.get(0);
        }

        /** The member URLs of {@code --url}, each checked to be loopback. */
        List<URI> urls() {
            return parseUrls(urls);
        }

        static boolean isLoopback(String host) {
            return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]"));
        }

        /** Opens {@code count} connections to the first URL, at most {@code parallel} handshakes at a time. */
        List<BenchClient> connectAll(LoadStats stats, int count, int parallel, String userPrefix) throws Exception {
            return connectAll(stats, java.util.Collections.nCopies(count, urls().get(0)), parallel, userPrefix);
        }

        /** Opens one connection per target URL, at most {@code parallel} handshakes at a time. */
        List<BenchClient> connectAll(LoadStats stats, List<URI> targets, int parallel, String userPrefix)
                throws Exception {
            int count = targets.size();
            Semaphore inFlight = new Semaphore(parallel);
            List<CompletableFuture<BenchClient>> pending = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                BenchClient client = new BenchClient(stats, peer);
                URI uri = peer.connectUri(targets.get(i), userPrefix + i);
                CompletableFuture<BenchClient> ready = client.connect(worker, buffers, uri)
                        .thenCompose(c -> c.welcomed.thenApply(ignored -> c))
                        .whenComplete((c, failure) -> inFlight.release());
                pending.add(ready);
            }
            List<BenchClient> clients = new ArrayList<>(count);
            for (CompletableFuture<BenchClient> future : pending) {
                clients.add(future.get(60, TimeUnit.SECONDS));
            }
            return clients;
        }

        String serverRssMiB() {
            return servers.isEmpty() ? "-" : servers.stream()
                    .map(s -> String.format(Locale.ROOT, "%.0f", s.rssBytes() / 1048576.0))
                    .collect(java.util.stream.Collectors.joining(" + "));
        }
    }

    /** Comma-separated items, blanks dropped. */
    static List<String> splitList(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("empty list: '" + value + "'");
        }
        return items;
    }

    /** {@code --url}: one or more comma-separated WebSocket URLs, loopback only. */
    static List<URI> parseUrls(String value) {
        List<URI> uris = new ArrayList<>();
        for (String item : splitList(value)) {
            URI uri = URI.create(item);
            if (!Common.isLoopback(uri.getHost())) {
                throw new IllegalArgumentException("load is only sent to loopback addresses, not " + uri.getHost());
            }
            uris.add(uri);
        }
        return uris;
    }

    /** {@code --rates}: comma-separated positive message rates. */
    static List<Integer> parseRates(String value) {
        List<Integer> rates = new ArrayList<>();
        for (String item : splitList(value)) {
            int rate = Integer.parseInt(item);
            if (rate <= 0) {
                throw new IllegalArgumentException("rates must be positive: " + value);
            }
            rates.add(rate);
        }
        return rates;
    }

    /**
     * Where each of {@code connections} connects: the publishing connections (those
     * {@link Publish#publisherIndex} picks) to {@code publisherUrl}, every other one to the member
     * URLs in turn.
     */
    static List<URI> assignUrls(int connections, int publishers, List<URI> memberUrls, URI publisherUrl) {
        java.util.Set<Integer> publishing = new java.util.HashSet<>();
        int publisherCount = Math.min(publishers, connections);
        for (int k = 0; k < publisherCount; k++) {
            publishing.add(Publish.publisherIndex(k, publisherCount, connections));
        }
        List<URI> targets = new ArrayList<>(connections);
        int member = 0;
        for (int i = 0; i < connections; i++) {
            targets.add(publishing.contains(i) ? publisherUrl : memberUrls.get(member++ % memberUrls.size()));
        }
        return targets;
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Members in rooms, publishers at stepped rates; delivery and ack latency per step.")
    static final class Publish extends Common implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--rooms", defaultValue = "1", description = "Rooms; connections are spread evenly")
        int rooms;

        @Option(names = "--publishers", defaultValue = "10", description = "Publishing connections (members too)")
        int publishers;

        // A single String, not a split list: picocli appends every occurrence of a list option, so
        // "run.sh fanout --rates 50" would add 50 after the scenario's steps instead of replacing them.
        @Option(names = "--rates", defaultValue = "10,50,100", paramLabel = "<rate>[,<rate>...]",
                description = "Published messages per second, one step each (the last --rates given wins)")
        String rates;

        @Option(names = "--publisher-url", paramLabel = "<url>",
                description = "Where the publishing connections connect (loopback). Default: the first --url")
        String publisherUrl;

        @Option(names = "--also-sample", paramLabel = "<label>=<pid>[+<pid>...][,...]",
                description = "More processes whose CPU % is reported per step, one column per label"
                        + " (several pids joined by + are summed), e.g. redis=1234")
        String alsoSample;

        @Option(names = "--machine-cpu", description = "Also report the whole machine's busy CPU % (100 per core)")
        boolean machineCpu;

        @Option(names = "--step-seconds", defaultValue = "10", description = "Measured seconds per step")
        int stepSeconds;

        @Option(names = "--warmup-seconds", defaultValue = "3", description = "Unmeasured seconds before each step")
        int warmupSeconds;

        @Option(names = "--size", defaultValue = "100", description = "Chat text length in characters")
        int size;

        @Option(names = "--label", defaultValue = "run", description = "Name of this run in outputs")
        String label;

        @Override
        public Integer call() throws Exception {
            open();
            if (peer != Peer.PARLEY && rooms != 1) {
                throw new IllegalArgumentException("a peer has one room: --rooms 1");
            }
            List<Integer> steps = parseRates(rates);
            URI publishersAt = publisherUrl == null ? urls().get(0) : parseUrls(publisherUrl).get(0);
            Map<String, List<ProcessSampler>> others = parseSamples(alsoSample);
            LoadStats stats = new LoadStats();
            List<BenchClient> clients = connectAll(stats, assignUrls(connections, publishers, urls(), publishersAt),
                    200, "load-");
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).join(room(i));
            }
            for (BenchClient client : clients) {
                client.joined.get(60, TimeUnit.SECONDS);
            }
            int membersPerRoom = connections / rooms;
            String padding = "x".repeat(Math.max(1, size - 20));
            System.out.printf(Locale.ROOT, "%s: %d connections, %d rooms x %d members, %d publishers, %d-char texts%n",
                    label, connections, rooms, membersPerRoom, publishers, size);
            System.out.printf(Locale.ROOT, "members on %s; publishers on %s; dialect %s%n", urls(), publishersAt,
                    peer.name().toLowerCase(Locale.ROOT));
            StringBuilder header = new StringBuilder("| published/s | target deliveries/s | delivered/s | p50 ms | p90 ms"
                    + " | p99 ms | p99.9 ms | max ms | ack p50 ms | ack p99 ms | errors | closes | server CPU %"
                    + " | server RSS MiB | generator CPU % |");
            StringBuilder csvHeader = new StringBuilder("published_per_s,target_deliveries_per_s,delivered_per_s,"
                    + "p50_ms,p90_ms,p99_ms,p999_ms,max_ms,ack_p50_ms,ack_p99_ms,errors,closes,server_cpu_pct,"
                    + "server_rss_mib,generator_cpu_pct");
            for (String other : others.keySet()) {
                header.append(' ').append(other).append(" CPU % |");
                csvHeader.append(',').append(other).append("_cpu_pct");
            }
            if (machineCpu) {
                header.append(" machine CPU % |");
                csvHeader.append(",machine_cpu_pct");
            }
            System.out.println(header);
            System.out.println("|---".repeat(15 + others.size() + (machineCpu ? 1 : 0)) + "|");
            List<String> csv = new ArrayList<>();
            csv.add(csvHeader.toString());
            List<double[]> points = new ArrayList<>();
            long sequence = 0;
            for (int rate : steps) {
                sequence = publish(clients, rate, warmupSeconds, padding, sequence);
                stats.reset();
                long deliveredBefore = stats.delivered.sum();
                long errorsBefore = stats.errors.sum();
                long[] serverCpuBefore = servers.stream().mapToLong(ProcessSampler::cpuMillis).toArray();
                long[] othersCpuBefore = others.values().stream().mapToLong(Publish::cpuMillis).toArray();
                long[] machineBefore = ProcessSampler.machineTicks();
                long selfCpuBefore = self.cpuMillis();
                long started = System.nanoTime();
                sequence = publish(clients, rate, stepSeconds, padding, sequence);
                double seconds = (System.nanoTime() - started) / 1e9;
                long delivered = stats.delivered.sum() - deliveredBefore;
                Histogram latency = stats.deliveryInterval();
                Histogram acks = stats.ackInterval();
                StringBuilder serverCpu = new StringBuilder(servers.isEmpty() ? "-" : "");
                for (int s = 0; s < servers.size(); s++) {
                    serverCpu.append(s == 0 ? "" : " + ").append(String.format(Locale.ROOT, "%.0f",
                            (servers.get(s).cpuMillis() - serverCpuBefore[s]) / (seconds * 10.0)));
                }
                StringBuilder extra = new StringBuilder();
                int o = 0;
                for (List<ProcessSampler> other : others.values()) {
                    extra.append(String.format(Locale.ROOT, " %.0f |",
                            (cpuMillis(other) - othersCpuBefore[o++]) / (seconds * 10.0)));
                }
                if (machineCpu) {
                    long[] machineAfter = ProcessSampler.machineTicks();
                    double total = machineAfter[1] - machineBefore[1];
                    extra.append(String.format(Locale.ROOT, " %.0f |", total <= 0 ? Double.NaN
                            : 100.0 * ProcessSampler.machineCpus()
                                    * (machineAfter[0] - machineBefore[0]) / total));
                }
                double selfCpu = (self.cpuMillis() - selfCpuBefore) / (seconds * 10.0);
                double deliveredPerSecond = delivered / seconds;
                String row = String.format(Locale.ROOT,
                        "| %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %s | %s | %.0f |%s",
                        rate, (long) rate * membersPerRoom, deliveredPerSecond, ms(latency, 50), ms(latency, 90),
                        ms(latency, 99), ms(latency, 99.9), latency.getMaxValue() / 1e6, ms(acks, 50), ms(acks, 99),
                        stats.errors.sum() - errorsBefore, stats.closeCount(), serverCpu, serverRssMiB(), selfCpu,
                        extra);
                System.out.println(row);
                csv.add(csvRow(row));
                points.add(new double[] {deliveredPerSecond, ms(latency, 99)});
                // Let queues drain so one step's backlog does not spill into the next.
                Thread.sleep(2_000);
                if (deliveredPerSecond < 0.8 * rate * membersPerRoom || ms(latency, 99) > 5_000) {
                    System.out.println("saturated: delivered rate or latency fell behind the target; stopping");
                    break;
                }
            }
            if (!stats.errorCodes.isEmpty()) {
                System.out.println("errors by code: " + stats.errorCodes);
            }
            if (!stats.closes.isEmpty()) {
                System.out.println("closes by code: " + stats.closes);
            }
            if (out != null) {
                Files.createDirectories(out);
                Files.write(out.resolve(label + ".csv"), csv);
                LatencyChart.write(out.resolve(label + ".png"), label, points);
                System.out.println("wrote " + out.resolve(label + ".csv") + " and " + out.resolve(label + ".png"));
            }
            clients.forEach(BenchClient::close);
            Thread.sleep(500);
            return 0;
        }

        /** The connection that publishes the {@code k}th of every {@code publisherCount} messages. */
        static int publisherIndex(int k, int publisherCount, int connections) {
            return k * Math.max(1, connections / publisherCount);
        }

        /** {@code --also-sample}: label to the processes summed under it, in order. */
        static Map<String, List<ProcessSampler>> parseSamples(String value) {
            Map<String, List<ProcessSampler>> samples = new LinkedHashMap<>();
            if (value == null || value.isBlank()) {
                return samples;
            }
            for (String item : splitList(value)) {
                int equals = item.indexOf('=');
                if (equals <= 0 || equals == item.length() - 1) {
                    throw new IllegalArgumentException("--also-sample wants label=pid[+pid...], not " + item);
                }
                List<ProcessSampler> pids = new ArrayList<>();
                for (String pid : item.substring(equals + 1).split("\\+")) {
                    pids.add(new ProcessSampler(String.valueOf(Long.parseLong(pid.trim()))));
                }
                samples.put(item.substring(0, equals), pids);
            }
            return samples;
        }

        private static long cpuMillis(List<ProcessSampler> processes) {
            return processes.stream().mapToLong(p -> Math.max(0, p.cpuMillis())).sum();
        }

        private String room(int connection) {
            return "bench-" + (connection % rooms);
        }

        /** Publishes at {@code rate} messages/s, round robin over the publishers, for {@code seconds}. */
        private long publish(List<BenchClient> clients, int rate, int seconds, String padding, long sequence)
                throws InterruptedException {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long sent = 0;
            int publisherCount = Math.min(publishers, clients.size());
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    return sequence;
                }
                long due = (long) ((now - start) / 1e9 * rate);
                while (sent < due) {
                    int index = publisherIndex((int) (sequence % publisherCount), publisherCount, clients.size());
                    clients.get(index).publish(room(index), padding, sequence++);
                    sent++;
                }
                TimeUnit.MICROSECONDS.sleep(500);
            }
        }

        private static double ms(Histogram histogram, double percentile) {
            return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
        }
    }

    @Command(name = "idle", mixinStandardHelpOptions = true,
            description = "Opens idle connections (Parley's each joined to one of 100 rooms, a peer's all in its one"
                    + " room); server RSS per connection: Parley's after a full GC (jcmd GC.run), with its live heap"
                    + " (jstat), a peer's once the connections have settled (--hold-seconds).")
    static final class Idle extends Common implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--hold-seconds", defaultValue = "5", description = "How long to hold them before measuring")
        int holdSeconds;

        @Option(names = "--warmup-connections", defaultValue = "1000",
                description = "Connections opened, joined and closed before the first reading, so that what the"
                        + " first connections cost once (compiled code, classes, pools) is not counted per connection")
        int warmupConnections;

        @Option(names = "--label", defaultValue = "idle", description = "Name of this run in outputs (CSV with --out)")
        String label;

        @Override
        public Integer call() throws Exception {
            open();
            if (server == null) {
                throw new IllegalArgumentException("idle needs --server-pid");
            }
            boolean jvm = peer == Peer.PARLEY;
            if (warmupConnections > 0) {
                connectAndJoin(new LoadStats(), warmupConnections, "warmup-").forEach(BenchClient::abort);
                Thread.sleep(2_000);
            }
            if (jvm) {
                server.requestGc();
            }
            Thread.sleep(1_000);
            long before = server.rssBytes();
            long heapBefore = jvm ? server.heapUsedBytes() : -1;
            LoadStats stats = new LoadStats();
            List<BenchClient> clients = connectAndJoin(stats, connections, "idle-");
            Thread.sleep(holdSeconds * 1_000L);
            if (jvm) {
                server.requestGc();
            }
            Thread.sleep(1_000);
            long after = server.rssBytes();
            long heapAfter = jvm ? server.heapUsedBytes() : -1;
            boolean heap = heapBefore >= 0 && heapAfter >= 0;
            String row = String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f | %s | %s | %s |", connections,
                    before / 1048576.0, after / 1048576.0, (after - before) / 1024.0 / connections,
                    heap ? String.format(Locale.ROOT, "%.1f", heapBefore / 1048576.0) : "-",
                    heap ? String.format(Locale.ROOT, "%.1f", heapAfter / 1048576.0) : "-",
                    heap ? String.format(Locale.ROOT, "%.2f", (heapAfter - heapBefore) / 1024.0 / connections) : "-");
            System.out.println(row);
            System.out.println("(connections | server RSS before, MiB | after, MiB | KiB per connection"
                    + " | live heap before, MiB | after, MiB | KiB per connection)" + (jvm ? " after a full GC"
                    : " (no GC asked of a peer)"));
            if (stats.closeCount() > 0) {
                System.out.println("closes by code: " + stats.closes);
            }
            writeCsv(out, label, "connections,rss_before_mib,rss_after_mib,rss_kib_per_connection,heap_before_mib,"
                    + "heap_after_mib,heap_kib_per_connection", List.of(csvRow(row)));
            clients.forEach(BenchClient::abort);
            return 0;
        }

        private List<BenchClient> connectAndJoin(LoadStats stats, int count, String prefix) throws Exception {
            List<BenchClient> clients = connectAll(stats, count, 200, prefix);
            for (int i = 0; i < clients.size(); i++) {
                clients.get(i).join("idle-" + (i % 100));
            }
            for (BenchClient client : clients) {
                client.joined.get(60, TimeUnit.SECONDS);
            }
            return clients;
        }
    }

    @Command(name = "storm", mixinStandardHelpOptions = true,
            description = "Connects as fast as it can; time until every connection is ready (Parley: its welcome)."
                    + " Repeats in rounds: the first meets a cold server (JIT not warmed up), later ones a warm one.")
    static final class Storm extends Common implements java.util.concurrent.Callable<Integer> {
        @Option(names = "--parallel", defaultValue = "500", description = "Handshakes in flight at once")
        int parallel;

        @Option(names = "--rounds", defaultValue = "3", description = "Connect-all rounds; each closes its connections")
        int rounds;

        @Option(names = "--label", defaultValue = "storm", description = "Name of this run in outputs (CSV with --out)")
        String label;

        @Override
        public Integer call() throws Exception {
            open();
            System.out.println("| round | connections | handshakes in flight | seconds until all welcomed | connections/s |");
            System.out.println("|---|---|---|---|---|");
            List<String> csv = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                LoadStats stats = new LoadStats();
                long started = System.nanoTime();
                List<BenchClient> clients = connectAll(stats, connections, parallel, "storm-" + round + "-");
                Duration took = Duration.ofNanos(System.nanoTime() - started);
                String row = String.format(Locale.ROOT, "| %d | %d | %d | %.2f | %.0f |", round, connections, parallel,
                        took.toMillis() / 1000.0, connections / (took.toNanos() / 1e9));
                System.out.println(round == 1 ? row.replaceFirst("\\| 1 ", "| 1 (cold) ") : row);
                csv.add(csvRow(row));
                clients.forEach(BenchClient::abort);
                // Let the server release the closed connections before the next round.
                Thread.sleep(3_000);
            }
            writeCsv(out, label, "round,connections,parallel,seconds,connections_per_s", csv);
            return 0;
        }
    }

    /** A printed table row {@code | a | b |} as a CSV line {@code a,b}. */
    static String csvRow(String row) {
        return row.substring(2, row.length() - 2).replace(" | ", ",");
    }

    /** Writes {@code <dir>/<label>.csv} (header, then rows) when {@code --out} is given. */
    static void writeCsv(Path dir, String label, String header, List<String> rows) throws java.io.IOException {
        if (dir == null) {
            return;
        }
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        lines.add(header);
        lines.addAll(rows);
        Files.write(dir.resolve(label + ".csv"), lines);
        System.out.println("wrote " + dir.resolve(label + ".csv"));
    }
}
