package dev.parley.application.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A TCP forwarder in front of a test service (PostgreSQL, Redis), so a test can take it away
 * and give it back: {@link #stop()} refuses new connections and resets the open ones (a crash
 * or restart), {@link #freeze()} keeps connections open but passes no byte (a network that
 * drops packets), {@link #start()} and {@link #thaw()} restore it on the same port.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean frozen;

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = freePortBelowEphemeralRange();
    }

    /**
     * A proxy, not yet listening, for the service a URL names ({@code redis://host:port},
     * {@code jdbc:postgresql://host:port/db?...}); {@code defaultPort} when the URL has none.
     */
    public static TcpProxy to(String url, int defaultPort) throws IOException {
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        return new TcpProxy(uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort());
    }

    /** {@code url} with its host and port replaced by {@code 127.0.0.1:port}, credentials kept. */
    public static String redirect(String url, int port) {
        return url.replaceFirst("//(?<credentials>[^/?@]*@)?[^/?@]+", "//${credentials}127.0.0.1:" + port);
    }

    /** {@code url} pointed at this proxy. */
    public String redirect(String url) {
        return redirect(url, port);
    }

    public int port() {
        return port;
    }

    public synchronized TcpProxy start() throws IOException {
        frozen = false;
        if (server != null) {
            return this;
        }
        ServerSocket listening = bindAgain();
        server = listening;
        Thread acceptor = new Thread(() -> accept(listening), "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /**
     * The port again. A socket of the last run may hold it a moment longer, and on a busy machine
     * another test's port probe may touch it: a refused bind is tried again for up to 5 s.
     */
    private ServerSocket bindAgain() throws IOException {
        for (int attempt = 1; ; attempt++) {
            ServerSocket listening = new ServerSocket();
            listening.setReuseAddress(true);
            try {
                listening.bind(new InetSocketAddress("127.0.0.1", port));
                return listening;
            } catch (BindException taken) {
                listening.close();
                if (attempt == 50) {
                    throw taken;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw taken;
                }
            }
        }
    }

    /** Refuses new connections and resets the open ones. */
    public synchronized void stop() throws IOException {
        ServerSocket listening = server;
        server = null;
        if (listening != null) {
            listening.close();
        }
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        sockets.clear();
    }

    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        frozen = false;
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                synchronized (this) {
                    if (server != listening) {
                        // stop() came between accept and here: this connection must not outlive it
                        client.setSoLinger(true, 0);
                        client.close();
                        upstream.close();
                        continue;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed by stop(), or the service itself refused
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16_384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    while (frozen) {
                        Thread.sleep(10);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    /**
     * A free port outside the kernel's ephemeral range (32768 and up here): the proxy binds it
     * again after each stop, and a port from the ephemeral range may meanwhile have become the
     * local end of some outgoing connection.
     */
    private static int freePortBelowEphemeralRange() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = random.nextInt(20_000, 32_000);
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 20000..32000");
    }
}
