package dev.parley.client;

import static org.awaitility.Awaitility.await;

import dev.parley.bootstrap.ParleyConfig;
import dev.parley.bootstrap.RunningServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** The real Parley server (in memory, insecure-dev) on a port that survives restarts. */
final class TestServer implements AutoCloseable {
    private final List<String> extraArgs;
    private RunningServer server;
    private int port;

    private TestServer(int port, String... extraArgs) {
        this.port = port;
        this.extraArgs = List.of(extraArgs);
    }

    static TestServer start(String... extraArgs) {
        TestServer test = new TestServer(0, extraArgs);
        test.startAgain();
        return test;
    }

    /** A server that will listen on {@code port} once {@link #startAgain()} is called. */
    static TestServer notStarted(int port, String... extraArgs) {
        return new TestServer(port, extraArgs);
    }

    /** Starts a new server (a new process' worth of memory: new epochs) on the same port. */
    synchronized void startAgain() {
        List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port)));
        args.addAll(extraArgs);
        AtomicReference<RunningServer> started = new AtomicReference<>();
        // The port may take a moment to be free again after a stop.
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> {
                    started.set(RunningServer.start(ParleyConfig.fromArgs(args.toArray(String[]::new))));
                    return true;
                });
        server = started.get();
        port = server.port();
    }

    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    synchronized int openConnections() {
        return server == null ? 0 : server.openConnections();
    }

    int port() {
        return port;
    }

    URI ws() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    @Override
    public void close() {
        stop();
    }
}
