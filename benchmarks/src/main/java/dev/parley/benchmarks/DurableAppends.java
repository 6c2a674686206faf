package dev.parley.benchmarks;

import dev.parley.adapters.postgres.GroupCommitStats;
import dev.parley.adapters.postgres.PostgresMessageStore;
import dev.parley.adapters.postgres.PostgresSettings;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Durable appends straight into the PostgreSQL history store: a closed loop of callers, each
 * appending again as soon as its previous append is committed. Group commit against one
 * transaction per message, for several room counts.
 */
@Command(name = "durable", mixinStandardHelpOptions = true,
        description = "Durable appends/s and ack latency of the PostgreSQL history (group commit vs one transaction per message).")
final class DurableAppends implements Callable<Integer> {
    @Option(names = "--jdbc-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
            description = "PostgreSQL on this machine")
    String jdbcUrl;

    @Option(names = "--rooms", split = ",", defaultValue = "1,10,1000", description = "Room counts, one run each")
    List<Integer> rooms;

    @Option(names = "--callers", defaultValue = "512", description = "Appends in flight at once")
    int callers;

    @Option(names = "--seconds", defaultValue = "10", description = "Measured seconds per run")
    int seconds;

    @Override
    public Integer call() throws Exception {
        String schema = "parley_bench_" + UUID.randomUUID().toString().substring(0, 8);
        System.out.println("| mode | rooms | appends/s | ack p50 ms | ack p99 ms | ack max ms | mean batch | failures |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (boolean group : new boolean[] {true, false}) {
            for (int roomCount : rooms) {
                PostgresSettings settings = PostgresSettings.defaults(jdbcUrl).withSchema(schema);
                if (!group) {
                    settings = settings.withBatching(1, Duration.ofMillis(0));
                }
                try (PostgresMessageStore store = PostgresMessageStore.start(settings, Clock.systemUTC())) {
                    run(store, group ? "group commit" : "one tx per message", roomCount);
                }
            }
        }
        PostgresSchemas.drop(jdbcUrl, schema);
        return 0;
    }

    private void run(PostgresMessageStore store, String mode, int roomCount) throws InterruptedException {
        Recorder latency = new Recorder(60_000_000_000L, 3);
        AtomicLong appended = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong ids = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        User sender = User.named("bench");
        MessageText text = new MessageText("x".repeat(100));
        String run = UUID.randomUUID().toString().substring(0, 6);
        Runnable[] callerLoop = new Runnable[1];
        callerLoop[0] = () -> {
            if (!running.get()) {
                return;
            }
            long id = ids.incrementAndGet();
            RoomName room = RoomName.of("bench-" + run + "-" + (id % roomCount));
            long started = System.nanoTime();
            store.append(new MessageDraft(room, RequestId.of("d" + id), sender, text, Optional.empty()))
                    .whenComplete((outcome, failure) -> {
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
        TimeUnit.SECONDS.sleep(2);
        latency.getIntervalHistogram();
        long before = appended.get();
        GroupCommitStats statsBefore = store.groupCommitStats();
        long startNanos = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        long count = appended.get() - before;
        GroupCommitStats statsAfter = store.groupCommitStats();
        Histogram h = latency.getIntervalHistogram();
        running.set(false);
        double meanBatch = (statsAfter.batches() - statsBefore.batches()) == 0 ? 0
                : (double) (statsAfter.appends() - statsBefore.appends()) / (statsAfter.batches() - statsBefore.batches());
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.1f | %d |%n", mode, roomCount,
                count / elapsed, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6, meanBatch, failures.get());
        TimeUnit.SECONDS.sleep(1);
    }
}
