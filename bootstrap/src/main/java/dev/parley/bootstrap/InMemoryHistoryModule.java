package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.parley.adapters.memory.InMemoryMessageStore;
import dev.parley.adapters.websocket.http.HealthCheck;
import dev.parley.application.port.out.MessageStore;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The embedded default history: this process's memory, for the life of the process. */
final class InMemoryHistoryModule extends AbstractModule {
    private final ParleyConfig config;

    InMemoryHistoryModule(ParleyConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().toInstance(new StaticHealth("history"));
    }

    /** With a maximum age, expired messages of rooms nobody touches are freed once a minute. */
    @Provides
    @Singleton
    MessageStore messageStore(Clock clock, ScheduledExecutorService timer) {
        InMemoryMessageStore store = new InMemoryMessageStore(clock, config.historyRetention(), config.historyMaxAge());
        if (config.historyMaxAge().isPresent()) {
            timer.scheduleWithFixedDelay(store::pruneExpired, 1, 1, TimeUnit.MINUTES);
        }
        return store;
    }

    static String describe() {
        return "history=memory";
    }

    /** An in-process dependency is up as long as the process is. */
    private record StaticHealth(String name) implements HealthCheck {
        @Override
        public Status status() {
            return Status.UP;
        }
    }
}
