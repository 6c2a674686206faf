package dev.parley.adapters.postgres;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.domain.Epoch;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store's writers, each with its own queue, thread, connection and group commit, over
 * disjoint sets of rooms: a room always goes to the same writer, so its appends keep the
 * order they were made in, and its seqs are allocated exactly as with one writer. Writers of
 * different rooms commit side by side, so one busy connection no longer queues every room's
 * appends behind it. The queues share one bound ({@code maxQueued} appends waiting in all).
 */
final class AppendWriters {
    private final AppendWriter[] writers;

    AppendWriters(PostgresSettings settings, Database database, HealthState health, Supplier<Epoch> storeEpoch,
                  ExecutorService completions) {
        Semaphore queueRoom = new Semaphore(settings.maxQueued());
        this.writers = new AppendWriter[settings.writers()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = new AppendWriter(i + 1, settings, database, health, storeEpoch, completions, queueRoom);
        }
    }

    void start() {
        for (AppendWriter writer : writers) {
            writer.start();
        }
    }

    CompletableFuture<AppendOutcome> submit(MessageDraft draft) {
        return writers[writerOf(draft.room(), writers.length)].submit(draft);
    }

    /**
     * Which of {@code count} writers stores {@code room}: a mix of the name's hash, so that rooms
     * named alike (a common prefix and a counter) still spread evenly. The same on every node and
     * every start, though nothing depends on that: across nodes the room's row lock orders appends.
     */
    static int writerOf(RoomName room, int count) {
        int hash = room.value().hashCode() * 0x9E3779B9;
        return (int) (((hash ^ (hash >>> 16)) & 0xFFFF_FFFFL) * count >>> 32);
    }

    /** Every writer's committed batches and appends, added up. */
    GroupCommitStats stats() {
        long batches = 0;
        long appends = 0;
        for (AppendWriter writer : writers) {
            GroupCommitStats stats = writer.stats();
            batches += stats.batches();
            appends += stats.appends();
        }
        return new GroupCommitStats(batches, appends);
    }

    /** See {@link AppendWriter#expireWaiting}: each writer on its own, a hung one does not fail the others' appends. */
    void expireWaiting(long nanos) {
        for (AppendWriter writer : writers) {
            writer.expireWaiting(nanos);
        }
    }

    /** Stops every writer at once, then gives them together up to {@code timeoutMillis} to store what waits. */
    void close(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (AppendWriter writer : writers) {
            writer.stop();
        }
        for (AppendWriter writer : writers) {
            writer.awaitStopped(deadline);
        }
    }
}
