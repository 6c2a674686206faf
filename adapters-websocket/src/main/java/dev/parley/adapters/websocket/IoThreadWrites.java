package dev.parley.adapters.websocket;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.XnioIoThread;

/**
 * The connections of one IO thread that have frames waiting. A message to a room of 1,000
 * schedules one task per IO thread, not one per member: each task handoff may wake the thread's
 * selector with a syscall, which would otherwise cost as much as the write itself.
 */
final class IoThreadWrites {
    private final XnioIoThread thread;
    private final ConcurrentLinkedQueue<Connection> waiting = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    IoThreadWrites(XnioIoThread thread) {
        this.thread = thread;
    }

    /** Has {@code connection}'s queued frames written soon, on this IO thread. */
    void schedule(Connection connection) {
        waiting.add(connection);
        if (scheduled.compareAndSet(false, true)) {
            try {
                thread.execute(this::writeAll);
            } catch (RejectedExecutionException stopping) {
                // The server is stopping: its IO threads close every socket, frames included.
                waiting.clear();
            }
        }
    }

    private void writeAll() {
        // Cleared first: a connection added while this runs schedules a task of its own.
        scheduled.set(false);
        Connection connection;
        while ((connection = waiting.poll()) != null) {
            connection.flush();
        }
    }
}
