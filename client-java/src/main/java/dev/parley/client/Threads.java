package dev.parley.client;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client's two threads: the loop, which owns all of the client's state, and the callback
 * thread, which runs listeners and completes the application's futures, in order.
 */
final class Threads {
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(daemon("parley-client-loop"));
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(daemon("parley-client-callbacks"));
    private final List<ParleyListener> listeners = new CopyOnWriteArrayList<>();

    Threads(List<ParleyListener> listeners) {
        this.listeners.addAll(listeners);
    }

    void addListener(ParleyListener listener) {
        listeners.add(listener);
    }

    void removeListener(ParleyListener listener) {
        listeners.remove(listener);
    }

    // ---- the loop ----------------------------------------------------------------------------

    /** Runs a task on the loop; throws {@link RejectedExecutionException} once shut down. */
    void execute(Runnable task) {
        loop.execute(task);
    }

    void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more to do
        }
    }

    void onLoop(Runnable task, CompletableFuture<?> failIfClosed) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            failIfClosed.completeExceptionally(new ParleyException("closed", "the client is closed"));
        }
    }

    <T> T callOnLoop(Callable<T> call) {
        try {
            return loop.submit(call).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParleyException("interrupted", "interrupted");
        } catch (Exception e) {
            throw new ParleyException("closed", "the client is closed");
        }
    }

    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        return loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    ScheduledFuture<?> every(Runnable task, long periodMillis) {
        return loop.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    // ---- the callback thread -----------------------------------------------------------------

    /** Calls every listener; a listener's bug must not stop the others or the client. */
    void emit(Consumer<ParleyListener> call) {
        onCallbacks(() -> {
            for (ParleyListener listener : listeners) {
                try {
                    call.accept(listener);
                } catch (RuntimeException e) {
                    // ignored, see above
                }
            }
        });
    }

    <T> void complete(CompletableFuture<T> future, T value) {
        onCallbacks(() -> future.complete(value));
    }

    void fail(CompletableFuture<?> future, Throwable error) {
        onCallbacks(() -> future.completeExceptionally(error));
    }

    <T> void failAll(Collection<CompletableFuture<T>> futures, Throwable error) {
        for (CompletableFuture<T> future : futures) {
            fail(future, error);
        }
        futures.clear();
    }

    /** Listeners and futures run here, in order, off the loop thread (so they may call the client). */
    void onCallbacks(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closed: run it here rather than leave a future hanging
        }
    }

    /** Stops both threads; the callback thread first runs what it was given. */
    void shutdown() {
        loop.shutdown();
        callbacks.execute(callbacks::shutdown);
    }

    /** Monotonic milliseconds, for timers and the reconnect schedule. */
    static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
