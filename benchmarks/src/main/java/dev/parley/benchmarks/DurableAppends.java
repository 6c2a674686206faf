package dev.parley.benchmarks;

import dev.parley.adapters.postgres.GroupCommitStats;
import dev.parley.adapters.postgres.PostgresMessageStore;
import dev.parley.adapters.postgres.PostgresSettings;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Durable appends straight into the PostgreSQL history store, group commit against one
 * transaction per message, for several room counts.
 * <p>
 * Open loop (the default): appends are offered at a fixed rate on a fixed schedule, whatever
 * the store answers, and each ack's latency runs from the append's <em>scheduled</em> time, so
 * a generator or store that falls behind shows up in the latency instead of being hidden
 * (coordinated omission). A warm-up at the same rate precedes each measured window and is not
 * recorded. Closed loop ({@code --closed}): a fixed number of appends in flight, each caller
 * appending again as soon as its previous one is acked; that measures saturation throughput,
 * and its latency is queueing.
 */
@Command(name = "durable", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Durable appends/s and ack latency of the PostgreSQL history (group commit vs one transaction per message).")
final class DurableAppends implements Callable<Integer> {
    @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
            description = "PostgreSQL on this machine")
    String jdbcUrl;

    @Option(names = "--modes", split = ",", defaultValue = "group,single",
            description = "group: group commit (the store's defaults); single: one transaction per message")
    List<String> modes;

    @Option(names = "--rooms", split = ",", defaultValue = "1,10,1000", description = "Room counts, one run each")
    List<Integer> rooms;

    @Option(names = "--rates", split = ",", defaultValue = "5000,10000,20000,30000",
            description = "Open loop: appends/s offered, one run each")
    List<Integer> rates;

    @Option(names = "--single-rates", split = ",", defaultValue = "500,1000,1500",
            description = "Open loop, mode single: appends/s offered (one transaction per message stores ~1,000/s)")
    List<Integer> singleRates;

    @Option(names = "--writers",
            description = "Group-commit writers of the store (each its own connection, rooms split among them)."
                    + " Default: the store's default")
    Integer writers;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unrecorded seconds before each run")
    int warmupSeconds;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per run")
    int seconds;

    @Option(names = "--drain-seconds", defaultValue = "5",
            description = "After the measured window, how long to wait for its last acks (the rest count as unacked)")
    int drainSeconds;

    @Option(names = "--closed", description = "Closed loop instead: --callers appends in flight, as fast as acked")
    boolean closed;

    @Option(names = "--callers", defaultValue = "512", description = "Closed loop: appends in flight at once")
    int callers;

    @Option(names = "--statements",
            description = "Per run: reset pg_stat_statements and print its top statements, and the pg_stat_wal delta "
                    + "(needs shared_preload_libraries='pg_stat_statements'; creates the extension if missing)")
    boolean statements;

    /** Open during the runs with --statements, so a reset costs one round trip, not a connect. */
    private Connection statsConnection;

    private static final User SENDER = User.named("bench");
    private static final MessageText TEXT = new MessageText("x".repeat(100));

    @Override
    public Integer call() throws Exception {
        String schema = "parley_bench_" + UUID.randomUUID().toString().substring(0, 8);
        if (statements && !prepareStatementStats()) {
            System.out.println("pg_stat_statements is not loaded (shared_preload_libraries): --statements ignored");
            statements = false;
        }
        if (statements) {
            statsConnection = DriverManager.getConnection(jdbcUrl);
        }
        try {
            if (closed) {
                System.out.println("| mode | rooms | appends in flight | appends/s | ack p50 ms | ack p99 ms | ack max ms "
                        + "| mean batch | failures |");
                System.out.println("|---|---|---|---|---|---|---|---|---|");
            } else {
                System.out.println("| mode | rooms | offered/s | achieved appends/s | ack p50 ms | ack p99 ms | ack max ms "
                        + "| mean batch | failures | unacked |");
                System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            }
            for (String mode : modes) {
                boolean group = switch (mode) {
                    case "group" -> true;
                    case "single" -> false;
                    default -> throw new IllegalArgumentException("unknown mode " + mode + " (group, single)");
                };
                List<Integer> modeRates = group ? rates : singleRates;
                for (int roomCount : rooms) {
                    PostgresSettings settings = PostgresSettings.defaults(jdbcUrl).withSchema(schema);
                    if (writers != null) {
                        settings = settings.withWriters(writers);
                    }
                    if (!group) {
                        settings = settings.withBatching(1, Duration.ofMillis(0));
                    }
                    String label = (group ? "group commit" : "one tx per message") + ", " + settings.writers()
                            + (settings.writers() == 1 ? " writer" : " writers");
                    try (PostgresMessageStore store = PostgresMessageStore.start(settings, Clock.systemUTC())) {
                        if (closed) {
                            closedLoop(store, label, roomCount);
                        } else {
                            for (int rate : modeRates) {
                                openLoop(store, label, roomCount, rate);
                            }
                        }
                    }
                }
            }
        } finally {
            if (statsConnection != null) {
                statsConnection.close();
            }
            PostgresSchemas.drop(jdbcUrl, schema);
        }
        return 0;
    }

    private static MessageDraft draft(String run, long id, int roomCount) {
        RoomName room = RoomName.of("bench-" + run + "-" + (id % roomCount));
        return new MessageDraft(room, RequestId.of("d" + id), SENDER, TEXT, Optional.empty());
    }

    /** Offers {@code rate} appends/s on a fixed schedule; records only those scheduled in the measured window. */
    private void openLoop(PostgresMessageStore store, String mode, int roomCount, int rate) throws Exception {
        String load = ProcessSampler.loadAverage();
        String run = UUID.randomUUID().toString().substring(0, 6);
        long interval = 1_000_000_000L / rate;
        long warmupCount = (long) rate * warmupSeconds;
        int measuredCount = Math.toIntExact((long) rate * seconds);
        Recorder latency = new Recorder(120_000_000_000L, 3);
        AtomicIntegerArray done = new AtomicIntegerArray(measuredCount);
        AtomicLong acked = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong ackedInWindow = new AtomicLong();
        AtomicLong completions = new AtomicLong();
        long start = System.nanoTime() + 10_000_000L;
        long windowStart = start + warmupCount * interval;
        long windowEnd = windowStart + (long) measuredCount * interval;
        GroupCommitStats[] statsAtWindow = new GroupCommitStats[2];
        Map<String, Long> walBefore = null;
        long total = warmupCount + measuredCount;
        long next = 0;
        while (next < total) {
            long now = System.nanoTime();
            if (next == warmupCount && statsAtWindow[0] == null && now >= windowStart) {
                statsAtWindow[0] = store.groupCommitStats();
                if (statements) {
                    walBefore = resetStatementStats();
                }
            }
            // Every append whose time has come, each timed from its own scheduled instant.
            while (next < total && start + next * interval <= now) {
                long scheduled = start + next * interval;
                int slot = next < warmupCount ? -1 : (int) (next - warmupCount);
                store.append(draft(run, next, roomCount)).whenComplete((outcome, failure) -> {
                    long end = System.nanoTime();
                    completions.incrementAndGet();
                    if (end >= windowStart && end < windowEnd && failure == null) {
                        ackedInWindow.incrementAndGet();
                    }
                    if (slot < 0 || done.getAndSet(slot, 1) != 0) {
                        return;
                    }
                    if (failure != null) {
                        failures.incrementAndGet();
                    } else {
                        acked.incrementAndGet();
                        latency.recordValue(Math.max(0, end - scheduled));
                    }
                });
                next++;
                if (next == warmupCount) {
                    break;
                }
            }
            LockSupport.parkNanos(50_000);
        }
        long sleep = windowEnd - System.nanoTime();
        if (sleep > 0) {
            TimeUnit.NANOSECONDS.sleep(sleep);
        }
        GroupCommitStats statsAfter = store.groupCommitStats();
        // The window's last appends: wait a bounded time for their acks.
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainSeconds);
        while (acked.get() + failures.get() < measuredCount && System.nanoTime() < drainUntil) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        // Those still unacked count with the time they have waited so far (a lower bound).
        long now = System.nanoTime();
        long unacked = 0;
        for (int i = 0; i < measuredCount; i++) {
            if (done.compareAndSet(i, 0, 1)) {
                unacked++;
                latency.recordValue(now - (windowStart + (long) i * interval));
            }
        }
        Histogram h = latency.getIntervalHistogram();
        GroupCommitStats statsBefore = statsAtWindow[0] == null ? statsAfter : statsAtWindow[0];
        long batches = statsAfter.batches() - statsBefore.batches();
        double meanBatch = batches == 0 ? 0 : (double) (statsAfter.appends() - statsBefore.appends()) / batches;
        double windowSeconds = (windowEnd - windowStart) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %d |%n", mode, roomCount,
                rate, ackedInWindow.get() / windowSeconds, h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, meanBatch, failures.get(), unacked);
        System.out.println("<!-- load average before the run: " + load + " -->");
        if (statements && walBefore != null) {
            printStatementStats(walBefore, windowSeconds);
        }
        // Let what is still queued finish before the next run.
        long settleUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (completions.get() < total && System.nanoTime() < settleUntil) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        TimeUnit.SECONDS.sleep(1);
    }

    private void closedLoop(PostgresMessageStore store, String mode, int roomCount) throws Exception {
        String load = ProcessSampler.loadAverage();
        Recorder latency = new Recorder(60_000_000_000L, 3);
        AtomicLong appended = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        String run = UUID.randomUUID().toString().substring(0, 6);
        Runnable[] callerLoop = new Runnable[1];
        callerLoop[0] = () -> {
            if (!running.get()) {
                return;
            }
            long started = System.nanoTime();
            store.append(draft(run, ids.incrementAndGet(), roomCount)).whenComplete((outcome, failure) -> {
                if (failure != null) {
                    failures.incrementAndGet();
                } else {
                    latency.recordValue(System.nanoTime() - started);
                    appended.incrementAndGet();
                }
                callerLoop[0].run();
            });
        };
        for (int i = 0; i < callers; i++) {
            callerLoop[0].run();
        }
        TimeUnit.SECONDS.sleep(warmupSeconds);
        latency.getIntervalHistogram();
        long before = appended.get();
        long failuresBefore = failures.get();
        GroupCommitStats statsBefore = store.groupCommitStats();
        Map<String, Long> walBefore = statements ? resetStatementStats() : null;
        long startNanos = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long count = appended.get() - before;
        GroupCommitStats statsAfter = store.groupCommitStats();
        Histogram h = latency.getIntervalHistogram();
        running.set(false);
        long batches = statsAfter.batches() - statsBefore.batches();
        double meanBatch = batches == 0 ? 0 : (double) (statsAfter.appends() - statsBefore.appends()) / batches;
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |%n", mode, roomCount,
                callers, count / elapsed, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6, meanBatch, failures.get() - failuresBefore);
        System.out.println("<!-- load average before the run: " + load + " -->");
        if (walBefore != null) {
            printStatementStats(walBefore, elapsed);
        }
        TimeUnit.SECONDS.sleep(1);
    }

    // --- pg_stat_statements and pg_stat_wal ---

    /** wal_write_time and wal_sync_time (ms) stay 0 unless track_wal_io_timing is on (e.g. {@code options=-c track_wal_io_timing=on} in the URL). */
    private static final String[] WAL_COLUMNS = {"wal_records", "wal_fpi", "wal_bytes", "wal_buffers_full",
        "wal_write", "wal_sync", "wal_write_time", "wal_sync_time"};

    private boolean prepareStatementStats() throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SHOW shared_preload_libraries")) {
                rows.next();
                if (!rows.getString(1).contains("pg_stat_statements")) {
                    return false;
                }
            }
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            return true;
        }
    }

    /** Resets pg_stat_statements and answers the current pg_stat_wal counters (cluster-wide). */
    private Map<String, Long> resetStatementStats() {
        try (Statement statement = statsConnection.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
            return walCounters(statement);
        } catch (SQLException e) {
            System.out.println("could not reset pg_stat_statements: " + e.getMessage());
            return null;
        }
    }

    private static Map<String, Long> walCounters(Statement statement) throws SQLException {
        Map<String, Long> counters = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("SELECT " + String.join(", ", WAL_COLUMNS) + " FROM pg_stat_wal")) {
            rows.next();
            for (String column : WAL_COLUMNS) {
                counters.put(column, Math.round(rows.getDouble(column)));
            }
        }
        return counters;
    }

    private void printStatementStats(Map<String, Long> walBefore, double seconds) {
        try (Statement statement = statsConnection.createStatement()) {
            Map<String, Long> walAfter = walCounters(statement);
            StringBuilder wal = new StringBuilder("    pg_stat_wal delta (cluster-wide):");
            for (String column : WAL_COLUMNS) {
                wal.append(' ').append(column).append('=').append(walAfter.get(column) - walBefore.get(column));
            }
            long syncs = walAfter.get("wal_sync") - walBefore.get("wal_sync");
            long syncMillis = walAfter.get("wal_sync_time") - walBefore.get("wal_sync_time");
            wal.append(String.format(Locale.ROOT, " (%.0f wal_sync/s", syncs / seconds));
            if (syncs > 0 && syncMillis > 0) {
                wal.append(String.format(Locale.ROOT, ", %.2f ms per sync", (double) syncMillis / syncs));
            }
            wal.append(')');
            System.out.println(wal);
            try (ResultSet rows = statement.executeQuery("SELECT calls, total_exec_time, mean_exec_time, rows, "
                    + "left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q FROM pg_stat_statements "
                    + "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    + "ORDER BY total_exec_time DESC LIMIT 6")) {
                while (rows.next()) {
                    System.out.printf(Locale.ROOT, "    %8d calls %9.1f ms total %7.3f ms mean %9d rows  %s%n",
                            rows.getLong(1), rows.getDouble(2), rows.getDouble(3), rows.getLong(4), rows.getString(5));
                }
            }
        } catch (SQLException e) {
            System.out.println("could not read pg_stat_statements: " + e.getMessage());
        }
    }
}
