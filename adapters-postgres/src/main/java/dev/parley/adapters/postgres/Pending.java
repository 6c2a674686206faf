package dev.parley.adapters.postgres;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call waiting in one of the store's queues. Exactly one of {@link #take()} (a worker
 * starts it) and {@link #expire()} (it waited too long and fails unsent) succeeds.
 */
class Pending<T> {
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int EXPIRED = 2;

    final CompletableFuture<T> future = new CompletableFuture<>();
    final long enqueuedNanos = System.nanoTime();
    private final AtomicInteger state = new AtomicInteger(WAITING);

    final boolean take() {
        return state.compareAndSet(WAITING, TAKEN);
    }

    final boolean expire() {
        return state.compareAndSet(WAITING, EXPIRED);
    }

    final boolean waitedLongerThan(long nanos, long now) {
        return state.get() == WAITING && now - enqueuedNanos > nanos;
    }
}
