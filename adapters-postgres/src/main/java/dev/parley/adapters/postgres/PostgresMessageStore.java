package dev.parley.adapters.postgres;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message history in PostgreSQL: gap-free seqs per room across any number of nodes,
 * idempotent appends, group commit, retention, and an outage that fails calls quickly instead
 * of hanging them. See {@code docs/postgres.md}.
 *
 * <p>Every method returns at once; the JDBC work runs on the store's own threads (writers for
 * appends, each over its own share of the rooms, a few readers, and a scheduler for the health probe, retention and time-outs).
 * A future that fails, fails with {@link StoreUnavailableException}, and then nothing of that
 * call was stored unless the commit's answer itself was lost (the caller's retry with the same
 * id then finds it as a duplicate).
 *
 * <p>{@link #start} migrates the schema. If PostgreSQL cannot be reached then, the store starts
 * anyway, answers every call with {@link StoreUnavailableException} and reports itself unhealthy,
 * and migrates as soon as the health probe reaches the database.
 */
public final class PostgresMessageStore implements MessageStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMessageStore.class);
    private static final long SWEEP_MILLIS = 50;

    private final PostgresSettings settings;
    private final Database database;
    private final HealthState health;
    private final AppendWriters writer;
    private final ThreadPoolExecutor readers;
    private final ExecutorService completions;
    private final ScheduledThreadPoolExecutor scheduler;
    private final RetentionPruner pruner;
    private final long operationTimeoutNanos;
    private final long connectionTimeoutNanos;
    /** How long a call may wait in a queue: the rest of its budget is for the connection and the statements. */
    private final long queueTimeoutNanos;
    private volatile Epoch storeEpoch;
    private volatile boolean closed;

    private PostgresMessageStore(PostgresSettings settings, Clock clock) {
        this.settings = settings;
        this.database = Database.open(settings);
        this.health = new HealthState(settings.redactedUrl());
        this.operationTimeoutNanos = settings.operationTimeout().toNanos();
        this.connectionTimeoutNanos = settings.connectionTimeout().toNanos();
        this.queueTimeoutNanos = (operationTimeoutNanos - connectionTimeoutNanos) * 3 / 4;
        this.completions = Executors.newSingleThreadExecutor(threads("parley-pg-complete"));
        this.readers = new ThreadPoolExecutor(settings.readThreads(), settings.readThreads(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(settings.maxQueued()), threads("parley-pg-read"));
        this.scheduler = new ScheduledThreadPoolExecutor(3, threads("parley-pg-background"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.writer = new AppendWriters(settings, database, health, () -> storeEpoch, completions);
        this.pruner = new RetentionPruner(database, settings, clock);
    }

    /**
     * Creates the pool, migrates the schema and starts the store's threads. Fails only on a
     * database that answers but refuses the migration; an unreachable one is retried in the
     * background.
     */
    public static PostgresMessageStore start(PostgresSettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        PostgresMessageStore store = new PostgresMessageStore(settings, clock);
        try {
            store.initialize();
        } catch (RuntimeException e) {
            if (!SqlFailures.isConnectivity(e)) {
                store.close();
                throw new IllegalStateException("PostgreSQL history at " + settings.redactedUrl()
                        + ": migration failed: " + e.getMessage(), e);
            }
            store.health.failed(e);
            LOG.warn("PostgreSQL history at {} unreachable at start; retrying every {} ms",
                    settings.redactedUrl(), settings.healthInterval().toMillis());
        }
        store.writer.start();
        store.scheduleBackgroundWork();
        return store;
    }

    /**
     * True while PostgreSQL answers: the schema is migrated and the latest statement or
     * {@code SELECT 1} probe (every {@code healthInterval}) got through.
     */
    public boolean isHealthy() {
        return !closed && storeEpoch != null && health.reachable();
    }

    /** How many group-commit transactions committed so far, and how many appends they held. */
    public GroupCommitStats groupCommitStats() {
        return writer.stats();
    }

    @Override
    public CompletableFuture<AppendOutcome> append(MessageDraft draft) {
        Objects.requireNonNull(draft, "draft");
        if (storeEpoch == null) {
            return notReady();
        }
        return writer.submit(draft);
    }

    @Override
    public CompletableFuture<RoomStreamState> streamState(RoomName room) {
        Objects.requireNonNull(room, "room");
        return read("stream state", connection -> HistoryReads.streamState(connection, room, storeEpoch));
    }

    @Override
    public CompletableFuture<List<ChatMessage>> range(RoomName room, long afterSeq, long throughSeq) {
        Objects.requireNonNull(room, "room");
        return read("range", connection -> HistoryReads.range(connection, room, afterSeq, throughSeq));
    }

    @Override
    public CompletableFuture<HistoryPage> history(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        return read("history", connection -> HistoryReads.history(connection, query));
    }

    /**
     * Stops the store: appends already waiting are still stored (within their time-out), later
     * calls fail, then the threads and the pool are closed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        writer.close(settings.operationTimeout().toMillis() + 1_000);
        readers.shutdown();
        completions.shutdown();
        try {
            readers.awaitTermination(settings.operationTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
            completions.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
        database.close();
    }

    /** Runs one retention round now, on the caller's thread; answers the messages deleted. For tests and operators. */
    long pruneNow() throws SQLException {
        return pruner.pruneOnce();
    }

    // --- reads -------------------------------------------------------------------------------

    private final class PendingRead<T> extends Pending<T> implements Runnable {
        private final String what;
        private final Database.Work<T> work;

        PendingRead(String what, Database.Work<T> work) {
            this.what = what;
            this.work = work;
        }

        @Override
        public void run() {
            if (!take()) {
                return;
            }
            long deadline = Math.max(enqueuedNanos + operationTimeoutNanos,
                    System.nanoTime() + operationTimeoutNanos - connectionTimeoutNanos);
            try {
                T result;
                try {
                    result = database.read(deadline, work);
                } catch (SQLException e) {
                    // a connection that broke since its last use: reads are safe to repeat once
                    if (!SqlFailures.isConnectivity(e) || e instanceof SQLTransientConnectionException
                            || Database.millisUntil(deadline) <= 0) {
                        throw e;
                    }
                    database.retireConnections();
                    result = database.read(deadline, work);
                }
                health.succeeded();
                future.complete(result);
            } catch (SQLException | RuntimeException e) {
                health.failed(e);
                future.completeExceptionally(SqlFailures.unavailable(what, e));
            }
        }
    }

    private <T> CompletableFuture<T> read(String what, Database.Work<T> work) {
        if (storeEpoch == null) {
            return notReady();
        }
        PendingRead<T> pending = new PendingRead<>(what, work);
        if (closed) {
            pending.future.completeExceptionally(new StoreUnavailableException("PostgreSQL history is closed"));
            return pending.future;
        }
        try {
            readers.execute(pending);
        } catch (RejectedExecutionException e) {
            pending.future.completeExceptionally(new StoreUnavailableException(
                    "PostgreSQL history overloaded: " + readers.getQueue().size() + " reads waiting", e));
        }
        return pending.future;
    }

    private <T> CompletableFuture<T> notReady() {
        return CompletableFuture.failedFuture(new StoreUnavailableException(closed
                ? "PostgreSQL history is closed"
                : "PostgreSQL history unavailable: not reached yet at " + settings.redactedUrl()));
    }

    // --- background work ---------------------------------------------------------------------

    /** Migrates the schema and reads the store's epoch; after it the store serves calls. */
    private void initialize() {
        Migrations.migrate(settings);
        Epoch epoch;
        try {
            epoch = database.read(System.nanoTime() + operationTimeoutNanos, connection -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT epoch FROM parley_store");
                     ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        throw new SQLException("parley_store has no row: the migration did not complete");
                    }
                    return Epoch.of(row.getString(1));
                }
            });
        } catch (SQLException e) {
            throw SqlFailures.unavailable("reading the store's epoch", e);
        }
        storeEpoch = epoch;
        health.succeeded();
        LOG.info("PostgreSQL history at {} (schema {}) ready, epoch {}", settings.redactedUrl(), settings.schema(),
                epoch);
    }

    private void scheduleBackgroundWork() {
        scheduler.scheduleWithFixedDelay(this::expireWaiting, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        long health = settings.healthInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::probe, health, health, TimeUnit.MILLISECONDS);
        if (settings.retains()) {
            long prune = settings.pruneInterval().toMillis();
            scheduler.scheduleWithFixedDelay(this::prune, prune, prune, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Fails, unsent, the calls that waited in a queue too long to finish within their time-out,
     * while the database is unreachable (or, for appends, the writer hangs). A store that is
     * only busy lets its queues drain.
     */
    private void expireWaiting() {
        writer.expireWaiting(queueTimeoutNanos);
        if (health.reachable()) {
            return;
        }
        long now = System.nanoTime();
        for (Runnable queued : readers.getQueue()) {
            if (queued instanceof PendingRead) {
                PendingRead<?> pending = (PendingRead<?>) queued;
                if (pending.waitedLongerThan(queueTimeoutNanos, now) && pending.expire()) {
                    readers.remove(queued);
                    pending.future.completeExceptionally(SqlFailures.unavailable(pending.what + " waited "
                            + TimeUnit.NANOSECONDS.toMillis(now - pending.enqueuedNanos) + " ms for a reader", null));
                }
            }
        }
    }

    /** Migrates if that is still to do, else checks the database with {@code SELECT 1}. */
    private void probe() {
        try {
            if (storeEpoch == null) {
                initialize();
                return;
            }
            database.read(System.nanoTime() + operationTimeoutNanos, connection -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT 1");
                     ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            });
            health.succeeded();
        } catch (SQLException | RuntimeException e) {
            health.failed(e);
            if (!SqlFailures.isConnectivity(e)) {
                LOG.warn("PostgreSQL history health probe failed", e);
            }
        }
    }

    private void prune() {
        if (storeEpoch == null || !health.reachable()) {
            return;
        }
        try {
            pruner.pruneOnce();
        } catch (SQLException | RuntimeException e) {
            health.failed(e);
            LOG.warn("PostgreSQL history retention round failed: {}", e.toString());
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
