package dev.parley.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.parley.adapters.websocket.Authenticator;
import dev.parley.adapters.websocket.ParleyHttpServer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started Parley node; {@link #close()} drains it gracefully. */
public final class RunningServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

    private final ParleyConfig config;
    private final ParleyHttpServer server;

    private RunningServer(ParleyConfig config, ParleyHttpServer server) {
        this.config = config;
        this.server = server;
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
        LOG.info("Parley listening on {}://{}:{}/ws node={} {} auth={}", server.tls() ? "https" : "http",
                config.host(), server.port(), config.nodeId(), InMemoryModule.describe(), authenticator.mode());
        return new RunningServer(config, server);
    }

    /** One module per adapter family, picked by configuration. */
    private static Module storageModule(ParleyConfig config) {
        if (config.postgresUrl().isPresent()) {
            throw new IllegalArgumentException("PARLEY_POSTGRES_URL: the PostgreSQL history adapter is not part of "
                    + "this build yet; unset it to run on the in-memory history");
        }
        return new InMemoryModule(config);
    }

    public int port() {
        return server.port();
    }

    public int openConnections() {
        return server.openConnections();
    }

    @Override
    public void close() {
        server.drain(config.drainTimeout());
    }
}
