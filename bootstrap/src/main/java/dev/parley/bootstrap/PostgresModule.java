package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.parley.adapters.postgres.PostgresMessageStore;
import dev.parley.adapters.postgres.PostgresSettings;
import dev.parley.adapters.websocket.http.HealthCheck;
import dev.parley.application.port.out.MessageStore;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * History in PostgreSQL ({@code PARLEY_POSTGRES_URL}): the store, and its health as the
 * {@code history} check, DOWN while the database does not answer. The store is created (pool,
 * migration, threads) when the server starts and first needs it; the module itself does no I/O.
 */
final class PostgresModule extends AbstractModule {
    private static final String HISTORY = "history";
    private static final int MAX_APPLICATION_NAME = 63;

    private final ParleyConfig config;

    PostgresModule(ParleyConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding()
                .to(Key.get(HealthCheck.class, Names.named(HISTORY)));
    }

    @Provides
    @Singleton
    PostgresMessageStore postgresMessageStore(Clock clock) {
        return PostgresMessageStore.start(settings(config), clock);
    }

    @Provides
    @Singleton
    MessageStore messageStore(PostgresMessageStore store) {
        return store;
    }

    @Provides
    @Singleton
    @Named(HISTORY)
    HealthCheck historyHealth(PostgresMessageStore store) {
        return new StoreHealth(store);
    }

    /**
     * The store's settings: the defaults, the node's name as {@code application_name}, the
     * schema of the URL's {@code currentSchema} parameter if it has one, the writers of
     * {@code PARLEY_POSTGRES_WRITERS} (the pool grows to fit them), and the retention of
     * {@code PARLEY_HISTORY_RETENTION} and {@code PARLEY_HISTORY_MAX_AGE}.
     */
    static PostgresSettings settings(ParleyConfig config) {
        String url = config.postgresUrl().orElseThrow(() -> new IllegalStateException("no PARLEY_POSTGRES_URL"));
        PostgresSettings defaults = PostgresSettings.defaults(url);
        String applicationName = "parley-" + config.nodeId().value();
        if (applicationName.length() > MAX_APPLICATION_NAME) {
            applicationName = applicationName.substring(0, MAX_APPLICATION_NAME);
        }
        return defaults
                .withSchema(currentSchema(url).orElse(defaults.schema()))
                .withApplicationName(applicationName)
                .withWriters(config.postgresWriters())
                .withRetention(OptionalLong.of(config.historyRetention()), config.historyMaxAge(),
                        defaults.pruneInterval());
    }

    /** pgjdbc's {@code currentSchema} URL parameter, if any. */
    static Optional<String> currentSchema(String jdbcUrl) {
        String query = URI.create(jdbcUrl.substring("jdbc:".length())).getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("currentSchema=") && parameter.length() > "currentSchema=".length()) {
                return Optional.of(parameter.substring("currentSchema=".length()));
            }
        }
        return Optional.empty();
    }

    static String describe() {
        return "history=postgres";
    }

    private record StoreHealth(PostgresMessageStore store) implements HealthCheck {
        @Override
        public String name() {
            return HISTORY;
        }

        @Override
        public Status status() {
            return store.isHealthy() ? Status.UP : Status.DOWN;
        }
    }
}
