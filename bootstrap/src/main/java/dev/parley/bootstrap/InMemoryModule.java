package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.parley.adapters.memory.InMemoryFanOut;
import dev.parley.adapters.memory.InMemoryNodeDirectory;
import dev.parley.adapters.memory.InMemoryNodeSignals;
import dev.parley.adapters.memory.InMemoryPresenceStore;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.PresenceStore;
import java.time.Clock;
import java.time.Duration;

/**
 * A single node's fan-out and presence, in this process's memory. It goes with either history
 * ({@link InMemoryHistoryModule} or {@link PostgresModule}).
 */
final class InMemoryModule extends AbstractModule {
    private final Duration presenceTtl;

    InMemoryModule(Duration presenceTtl) {
        this.presenceTtl = presenceTtl;
    }

    @Provides
    @Singleton
    FanOut fanOut() {
        return new InMemoryFanOut();
    }

    @Provides
    @Singleton
    PresenceStore presence() {
        return new InMemoryPresenceStore();
    }

    @Provides
    @Singleton
    NodeDirectory directory(Clock clock) {
        return new InMemoryNodeDirectory(clock, presenceTtl);
    }

    @Provides
    @Singleton
    NodeSignals signals() {
        return new InMemoryNodeSignals();
    }

    static String describe() {
        return "fan-out=local presence=memory";
    }
}
