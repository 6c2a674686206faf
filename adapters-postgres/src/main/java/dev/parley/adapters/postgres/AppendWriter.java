package dev.parley.adapters.postgres;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.Epoch;
import dev.parley.domain.MessageDraft;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit on one writer's share of the rooms ({@link AppendWriters} routes each room to
 * always the same writer). Callers only enqueue; the writer's thread takes the first waiting append,
 * gathers more for up to {@code maxBatchWait} (or until {@code maxBatchSize}) if it was idle, or
 * takes at once what queued while the previous batch committed if it was busy, stores them all
 * in one transaction and completes every caller's future once the commit returned (on the
 * completion thread, so callers' callbacks never delay the next batch). One writer per room
 * keeps a room's appends on a node in the order they were made. A batch that fails fails each of its
 * callers, except that a message the database refuses (bad data) is then retried alone so it
 * does not take the others down with it.
 */
final class AppendWriter {
    private static final Logger LOG = LoggerFactory.getLogger(AppendWriter.class);
    private static final int MAX_CONFLICT_RETRIES = 5;
    private static final int MAX_RECONNECT_RETRIES = 1;

    static final class PendingAppend extends Pending<AppendOutcome> {
        final MessageDraft draft;

        PendingAppend(MessageDraft draft) {
            this.draft = draft;
        }
    }

    private final Database database;
    private final HealthState health;
    private final Supplier<Epoch> storeEpoch;
    private final ExecutorService completions;
    private final LinkedBlockingQueue<PendingAppend> queue = new LinkedBlockingQueue<>();
    /** Appends waiting in the queues of all the store's writers, bounded by {@code maxQueued} together. */
    private final Semaphore queueRoom;
    private final int maxQueued;
    private final int maxBatchSize;
    private final long maxBatchWaitNanos;
    private final long operationTimeoutNanos;
    /** The least time a batch gets for its connection and statements, however long it queued. */
    private final long minimumBatchNanos;
    private final Thread thread;
    /** When the batch under way started ({@code System.nanoTime()}), 0 while none is. */
    private volatile long batchStartedNanos;
    private volatile boolean running = true;
    private final LongAdder committedBatches = new LongAdder();
    private final LongAdder committedAppends = new LongAdder();

    AppendWriter(int number, PostgresSettings settings, Database database, HealthState health,
                 Supplier<Epoch> storeEpoch, ExecutorService completions, Semaphore queueRoom) {
        this.database = database;
        this.health = health;
        this.storeEpoch = storeEpoch;
        this.completions = completions;
        this.queueRoom = queueRoom;
        this.maxQueued = settings.maxQueued();
        this.maxBatchSize = settings.maxBatchSize();
        this.maxBatchWaitNanos = settings.maxBatchWait().toNanos();
        this.operationTimeoutNanos = settings.operationTimeout().toNanos();
        this.minimumBatchNanos = operationTimeoutNanos - settings.connectionTimeout().toNanos();
        this.thread = new Thread(this::loop, "parley-pg-writer-" + number);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    CompletableFuture<AppendOutcome> submit(MessageDraft draft) {
        PendingAppend pending = new PendingAppend(draft);
        if (!running) {
            pending.future.completeExceptionally(new StoreUnavailableException("PostgreSQL history is closed"));
        } else if (!queueRoom.tryAcquire()) {
            pending.future.completeExceptionally(new StoreUnavailableException(
                    "PostgreSQL history overloaded: " + (maxQueued - queueRoom.availablePermits()) + " appends waiting"));
        } else {
            queue.add(pending);
        }
        return pending.future;
    }

    GroupCommitStats stats() {
        return new GroupCommitStats(committedBatches.sum(), committedAppends.sum());
    }

    /**
     * Fails, unsent, the appends that waited longer than {@code nanos}, but only while the writer
     * cannot make progress: the database is unreachable, or the batch under way has hung for
     * longer than that. A writer that is merely busy keeps its queue.
     */
    void expireWaiting(long nanos) {
        long now = System.nanoTime();
        long started = batchStartedNanos;
        boolean stuck = started != 0 && now - started > nanos;
        if (health.reachable() && !stuck) {
            return;
        }
        for (PendingAppend pending : queue) {
            if (pending.waitedLongerThan(nanos, now) && pending.expire()) {
                fail(List.of(pending), SqlFailures.unavailable("append waited "
                        + TimeUnit.NANOSECONDS.toMillis(now - pending.enqueuedNanos) + " ms for the writer", null));
            }
        }
    }

    /** Stops taking appends; those already waiting are still stored. */
    void stop() {
        running = false;
    }

    /** After {@link #stop}: waits until {@code deadlineNanos} for the waiting appends to be stored, then fails the rest. */
    void awaitStopped(long deadlineNanos) {
        try {
            TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadlineNanos - System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread.interrupt();
        List<PendingAppend> left = new ArrayList<>();
        queueRoom.release(queue.drainTo(left));
        left.removeIf(pending -> !pending.take());
        fail(left, new StoreUnavailableException("PostgreSQL history is closed"));
    }

    private void loop() {
        List<PendingAppend> batch = new ArrayList<>(maxBatchSize);
        while (running || !queue.isEmpty()) {
            try {
                batch.clear();
                // Appends that queued while the last batch committed go at once: waiting for more
                // would only add to their latency, as the next ones queue during this commit.
                PendingAppend first = take(0);
                boolean idle = first == null;
                if (idle) {
                    first = take(TimeUnit.MILLISECONDS.toNanos(100));
                }
                if (first == null || !first.take()) {
                    continue;
                }
                batch.add(first);
                gather(batch, idle ? maxBatchWaitNanos : 0);
                batchStartedNanos = System.nanoTime();
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(batch, new StoreUnavailableException("PostgreSQL history is closed"));
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("append batch of {} failed unexpectedly", batch.size(), e);
                fail(batch, SqlFailures.unavailable("append", e));
            } finally {
                batchStartedNanos = 0;
            }
        }
    }

    /** Adds waiting appends to {@code batch}, waiting up to {@code waitNanos} for more to arrive. */
    private void gather(List<PendingAppend> batch, long waitNanos) throws InterruptedException {
        long waitUntil = System.nanoTime() + waitNanos;
        while (batch.size() < maxBatchSize) {
            PendingAppend next = take(0);
            if (next == null) {
                long left = waitUntil - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                next = take(left);
                if (next == null) {
                    return;
                }
            }
            if (next.take()) {
                batch.add(next);
            }
        }
    }

    /** The next waiting append, waiting up to {@code waitNanos} for one; its place in the bound is given back. */
    private PendingAppend take(long waitNanos) throws InterruptedException {
        PendingAppend next = waitNanos <= 0 ? queue.poll() : queue.poll(waitNanos, TimeUnit.NANOSECONDS);
        if (next != null) {
            queueRoom.release();
        }
        return next;
    }

    private void write(List<PendingAppend> batch) {
        Epoch epoch = storeEpoch.get();
        if (epoch == null) {
            fail(batch, SqlFailures.unavailable("not migrated yet: PostgreSQL was unreachable", null));
            return;
        }
        // A caller's time runs from its call; a busy writer still gives a batch time to commit.
        long deadline = Math.max(batch.get(0).enqueuedNanos + operationTimeoutNanos,
                System.nanoTime() + minimumBatchNanos);
        List<MessageDraft> drafts = new ArrayList<>(batch.size());
        for (PendingAppend pending : batch) {
            drafts.add(pending.draft);
        }
        try {
            List<AppendOutcome> outcomes = store(drafts, deadline, epoch);
            health.succeeded();
            committedBatches.increment();
            committedAppends.add(batch.size());
            complete(batch, outcomes);
        } catch (SQLException e) {
            health.failed(e);
            if (batch.size() > 1 && isRefusedInput(e)) {
                LOG.warn("the database refused a batch of {} appends ({}); storing them one by one", batch.size(),
                        e.getMessage());
                writeOneByOne(batch, deadline, epoch);
            } else {
                fail(batch, SqlFailures.unavailable("append", e));
            }
        }
    }

    private void writeOneByOne(List<PendingAppend> batch, long deadline, Epoch epoch) {
        for (PendingAppend pending : batch) {
            try {
                complete(List.of(pending), store(List.of(pending.draft), deadline, epoch));
            } catch (SQLException e) {
                if (isRefusedInput(e)) {
                    LOG.warn("the database refused message {} of {} in {}: {}", pending.draft.id(),
                            pending.draft.from().id(), pending.draft.room(), e.getMessage());
                }
                fail(List.of(pending), SqlFailures.unavailable("append", e));
            }
        }
    }

    /**
     * One transaction, tried again after a conflict with another node (nothing was stored) or
     * after a broken connection before the commit (nothing was stored either), while time is left.
     */
    private List<AppendOutcome> store(List<MessageDraft> drafts, long deadline, Epoch epoch) throws SQLException {
        int conflicts = 0;
        int reconnects = 0;
        while (true) {
            try {
                return database.transaction(deadline, connection -> AppendTransaction.run(connection, drafts, epoch));
            } catch (SQLException e) {
                boolean timeLeft = Database.millisUntil(deadline) > 0;
                boolean conflict = SqlFailures.isConflict(e) && conflicts++ < MAX_CONFLICT_RETRIES;
                boolean brokenBeforeCommit = !(e instanceof Database.CommitUncertain)
                        && !(e instanceof SQLTransientConnectionException)
                        && SqlFailures.isConnectivity(e) && reconnects++ < MAX_RECONNECT_RETRIES;
                if (!timeLeft || !(conflict || brokenBeforeCommit)) {
                    throw e;
                }
                if (brokenBeforeCommit) {
                    database.retireConnections();
                }
            }
        }
    }

    /** Data exceptions and integrity violations: this input, not the database, is the problem. */
    private static boolean isRefusedInput(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23")) && !SqlFailures.isConflict(e);
    }

    private void complete(List<PendingAppend> batch, List<AppendOutcome> outcomes) {
        List<PendingAppend> done = List.copyOf(batch);
        dispatch(() -> {
            for (int i = 0; i < done.size(); i++) {
                done.get(i).future.complete(outcomes.get(i));
            }
        });
    }

    private void fail(List<PendingAppend> batch, RuntimeException failure) {
        if (batch.isEmpty()) {
            return;
        }
        List<PendingAppend> failed = List.copyOf(batch);
        dispatch(() -> failed.forEach(pending -> pending.future.completeExceptionally(failure)));
    }

    private void dispatch(Runnable completion) {
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException closed) {
            completion.run();
        }
    }
}
