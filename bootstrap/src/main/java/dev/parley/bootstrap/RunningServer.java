package dev.parley.bootstrap;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.parley.adapters.pusher.PusherFrontDoor;
import dev.parley.adapters.websocket.ParleyHttpServer;
import dev.parley.adapters.websocket.auth.Authenticator;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.service.NodeService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started Parley node; {@link #close()} drains it gracefully. */
public final class RunningServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

    private final ParleyConfig config;
    private final ParleyHttpServer server;
    private final Optional<PusherFrontDoor> pusher;
    private final Injector injector;

    private RunningServer(ParleyConfig config, ParleyHttpServer server, Optional<PusherFrontDoor> pusher,
                          Injector injector) {
        this.config = config;
        this.server = server;
        this.pusher = pusher;
        this.injector = injector;
    }

    /** Wires the node from its configuration and starts listening. */
    public static RunningServer start(ParleyConfig config) {
        List<Module> modules = new ArrayList<>(List.of(new CoreModule(config), storageModule(config),
                new WebSocketModule(config)));
        if (config.pusher().isPresent()) {
            modules.add(new PusherModule(config));
        }
        Injector injector = Guice.createInjector(modules);
        ParleyHttpServer server = injector.getInstance(ParleyHttpServer.class);
        Optional<PusherFrontDoor> pusher = config.pusher().map(app -> injector.getInstance(PusherFrontDoor.class));
        // The Pusher document is served only with the front door it describes (404 like /app/{key} without).
        pusher.ifPresent(frontDoor -> server.mount("/app", frontDoor.sockets()).mount("/apps", frontDoor.api())
                .document(PusherFrontDoor.ASYNCAPI_PATH, PusherFrontDoor.ASYNCAPI_RESOURCE));
        server.start();
        injector.getInstance(NodeService.class).start();
        Authenticator authenticator = injector.getInstance(Authenticator.class);
        if (config.insecureDev()) {
            LOG.warn("auth is insecure-dev: anyone on this machine can connect as any user; "
                    + "set PARLEY_JWT_SECRET or PARLEY_JWT_PUBLIC_KEY for real use");
        }
        LOG.info("Parley listening on {}://{}:{}/ws node={} {} auth={} pid={}", server.tls() ? "https" : "http",
                config.host(), server.port(), config.nodeId(), describeStorage(config), authenticator.mode(),
                ProcessHandle.current().pid());
        pusher.ifPresent(frontDoor -> LOG.info("Pusher protocol 7 front door on /app/{} and /apps/{}/",
                frontDoor.appKey(), config.pusher().get().appId()));
        return new RunningServer(config, server, pusher, injector);
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
        Module nodes = config.sharesRedis() ? new RedisModule(config) : new InMemoryModule(config.presenceTtl());
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
        return server.openConnections() + pusher.map(PusherFrontDoor::openConnections).orElse(0);
    }

    /** Drains the server, then closes the adapters that hold connections or threads (PostgreSQL, Redis). */
    @Override
    public void close() {
        // Pusher clients reconnect at once on 4200: they are told first, while the port still answers.
        pusher.ifPresent(PusherFrontDoor::drain);
        server.drain(config.drainTimeout());
        try {
            injector.getInstance(NodeService.class).stop().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("cannot take node {} off the cluster's node list; it drops out within the presence TTL: {}",
                    config.nodeId(), e.toString());
        }
        // Presence first: the leaves of the last connections go out through the fan-out.
        for (Class<?> port : List.of(PresenceStore.class, NodeSignals.class, NodeDirectory.class, FanOut.class,
                MessageStore.class)) {
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
