package dev.parley.adapters.redis;

import java.time.Duration;

/** The adapter's small thread chores: named daemon threads, pauses that close() cuts short, bounded joins. */
final class Threads {
    private Threads() {
    }

    static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Waits before a next attempt; an interrupt (from close()) ends the wait early, and the caller's loop sees it stopped. */
    static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            // woken by close(): the caller's loop checks whether it still runs
        }
    }

    /** Waits for a thread to end on its own, then wakes it if it has not. */
    static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
