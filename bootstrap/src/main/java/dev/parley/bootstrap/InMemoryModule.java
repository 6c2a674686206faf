package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.parley.adapters.memory.InMemoryFanOut;
import dev.parley.adapters.memory.InMemoryMessageStore;
import dev.parley.adapters.memory.InMemoryPresenceStore;
import dev.parley.adapters.websocket.HealthCheck;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import java.time.Clock;

/** The embedded default: history, fan-out and presence in this process's memory. */
final class InMemoryModule extends AbstractModule {
    private final ParleyConfig config;

    InMemoryModule(ParleyConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().toInstance(new StaticHealth("history"));
    }

    @Provides
    @Singleton
    MessageStore messageStore(Clock clock) {
        return new InMemoryMessageStore(clock, config.historyRetention());
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

    static String describe() {
        return "history=memory fan-out=local presence=memory";
    }

    /** An in-process dependency is up as long as the process is. */
    private record StaticHealth(String name) implements HealthCheck {
        @Override
        public Status status() {
            return Status.UP;
        }
    }
}
