package dev.parley.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.parley.adapters.websocket.ParleyHttpServer;
import dev.parley.adapters.websocket.auth.Authenticator;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started Parley node; {@link #close()} drains it gracefully. */
public final class RunningServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

    private final ParleyConfig config;
    private final ParleyHttpServer server;
    private final Injector injector;

    private RunningServer(ParleyConfig config, ParleyHttpServer server, Injector injector) {
        this.config = config;
        this.server = server;
        this.injector = injector;
    }

    /** Wires the node from its configuration and starts listening. */
    public static RunningServer start(ParleyConfig config) {
        List<Module> modules = List.of(new CoreModule(config), storageModule(config), new WebSocketModule(config));
        Injector injector = Guice.createInjector(modules);
        ParleyHttpServer server = injector.getInstance(ParleyHttpServer.class).start();
        Authenticator authenticator = injector.getInstance(Authenticator.class);
        if (config.insecureDev()) {
            LOG.warn("auth is insecure-dev: anyone on this machine can connect as any user; "
                    + "set PARLEY_JWT_SECRET or PARLEY_JWT_PUBLIC_KEY for real use");
        }
        LOG.info("Parley listening on {}://{}:{}/ws node={} {} auth={} pid={}", server.tls() ? "https" : "http",
                config.host(), server.port(), config.nodeId(), describeStorage(config), authenticator.mode(),
                ProcessHandle.current().pid());
        return new RunningServer(config, server, injector);
    }

    /**
     * One module per adapter family, picked by configuration: the history (PostgreSQL with
     * {@code PARLEY_POSTGRES_URL}, else memory), and the fan-out and presence (across nodes in
     * Redis with {@code PARLEY_REDIS_URL} or {@code PARLEY_REDIS_CLUSTER}, else this single node's memory).
     */
    private static Module storageModule(ParleyConfig config) {
        Module history = config.postgresUrl().isPresent()
                ? new PostgresModule(config)
                : new InMemoryHistoryModule(config);
        Module nodes = config.sharesRedis() ? new RedisModule(config) : new InMemoryModule();
        return Modules.combine(history, nodes);
    }

    private static String describeStorage(ParleyConfig config) {
        String history = config.postgresUrl().isPresent() ? PostgresModule.describe() : InMemoryHistoryModule.describe();
        String nodes = config.sharesRedis() ? RedisModule.describe(config) : InMemoryModule.describe();
        return history + " " + nodes;
    }

    public int port() {
        return server.port();
    }

    public int openConnections() {
        return server.openConnections();
    }

    /** Drains the server, then closes the adapters that hold connections or threads (PostgreSQL, Redis). */
    @Override
    public void close() {
        server.drain(config.drainTimeout());
        // Presence first: the leaves of the last connections go out through the fan-out.
        for (Class<?> port : List.of(PresenceStore.class, FanOut.class, MessageStore.class)) {
            Object adapter = injector.getInstance(port);
            if (adapter instanceof AutoCloseable) {
                try {
                    ((AutoCloseable) adapter).close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed", adapter.getClass().getSimpleName(), e);
                }
            }
        }
    }
}
