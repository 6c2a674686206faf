package dev.parley.adapters.websocket.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The listening socket, set up as {@code Undertow.start()} does, with one thing Undertow's
 * builder cannot do: each accepted connection gets a {@link RequestHeadLimit} before Undertow
 * reads from it. The request head must also arrive within {@link #HEAD_TIMEOUT_MILLIS}
 * (docs/protocol.md section 7): slow or silent heads cannot hold sockets open.
 */
public final class HttpListener implements AutoCloseable {
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int HEAD_TIMEOUT_MILLIS = 10_000;
    /** Undertow's own limit (a bare 400) for what the head limit does not count: a request line, pipelined heads. */
    private static final int BACKSTOP_HEAD_BYTES = 4 * MAX_HEADER_BYTES;

    private static final ExchangeCompletionListener REARM_HEAD_LIMIT = (done, next) -> {
        RequestHeadLimit.expectHead(done);
        next.proceed();
    };

    private final XnioWorker worker;
    private final AcceptingChannel<? extends StreamConnection> server;

    private HttpListener(XnioWorker worker, AcceptingChannel<? extends StreamConnection> server) {
        this.worker = worker;
        this.server = server;
    }

    public static HttpListener open(String host, int port, Optional<SSLContext> tls, HttpHandler root) {
        Xnio xnio = Xnio.getInstance(Undertow.class.getClassLoader());
        int ioThreads = Math.max(Runtime.getRuntime().availableProcessors(), 2);
        XnioWorker worker;
        try {
            worker = xnio.createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 8)
                    .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 8)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the IO threads", e);
        }
        try {
            OptionMap socketOptions = OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.REUSE_ADDRESSES, true)
                    .set(Options.BALANCING_TOKENS, 1)
                    .set(Options.BALANCING_CONNECTIONS, 2)
                    .set(Options.BACKLOG, 1000)
                    .getMap();
            OptionMap serverOptions = OptionMap.builder()
                    .set(UndertowOptions.MAX_HEADER_SIZE, BACKSTOP_HEAD_BYTES)
                    .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, HEAD_TIMEOUT_MILLIS)
                    .set(UndertowOptions.NO_REQUEST_TIMEOUT, HEAD_TIMEOUT_MILLIS)
                    .getMap();
            ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024 - 20, -1, 4);
            HttpOpenListener http = new HttpOpenListener(buffers, serverOptions);
            http.setRootHandler(exchange -> {
                exchange.addExchangeCompleteListener(REARM_HEAD_LIMIT);
                root.handleRequest(exchange);
            });
            ChannelListener<StreamConnection> guarded = connection -> {
                RequestHeadLimit.guard(connection, MAX_HEADER_BYTES);
                http.handleEvent(connection);
            };
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            AcceptingChannel<? extends StreamConnection> server = tls.isPresent()
                    ? new UndertowXnioSsl(xnio, OptionMap.create(Options.USE_DIRECT_BUFFERS, true), tls.get())
                            .createSslConnectionServer(worker, address, ChannelListeners.openListenerAdapter(guarded),
                                    socketOptions)
                    : worker.createStreamConnectionServer(address, ChannelListeners.openListenerAdapter(guarded),
                            socketOptions);
            server.resumeAccepts();
            return new HttpListener(worker, server);
        } catch (IOException e) {
            worker.shutdownNow();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        } catch (RuntimeException e) {
            worker.shutdownNow();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return server.getLocalAddress(InetSocketAddress.class);
    }

    /** Stops accepting, closes every connection and stops the IO threads. */
    @Override
    public void close() {
        IoUtils.safeClose(server);
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
