package dev.parley.adapters.memory;

import dev.parley.application.port.out.NodeSignals;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** The signals of a single node: heard at once, on the publishing thread, by this node's listeners. */
public final class InMemoryNodeSignals implements NodeSignals {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> publish(Signal signal) {
        for (Listener listener : listeners) {
            listener.onSignal(signal);
        }
        return CompletableFuture.completedFuture(null);
    }
}
