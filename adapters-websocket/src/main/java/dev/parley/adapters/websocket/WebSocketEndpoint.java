package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.adapters.websocket.frames.FrameDecoder;
import dev.parley.adapters.websocket.frames.Inbound;
import dev.parley.adapters.websocket.frames.ServerMessage;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.domain.RequestId;
import dev.parley.adapters.websocket.wire.WebSocketHandshake;
import dev.parley.adapters.websocket.wire.WireSocket;
import io.undertow.server.HttpServerExchange;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;

/**
 * {@code /ws} after the upgrade: sends {@code welcome}, turns each text frame into a use case
 * call, keeps the heartbeat, and releases everything when the connection ends.
 */
final class WebSocketEndpoint implements WebSocketHandshake.Opened {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketEndpoint.class);

    private final ParleyUseCases useCases;
    private final ConnectionRegistry registry;
    private final FrameDecoder decoder;
    private final TokenBucketRateLimiter rateLimiter;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private static final Consumer<Object> NOTHING_MORE = outcome -> {
    };

    private final AtomicInteger inFlight = new AtomicInteger();

    WebSocketEndpoint(ParleyUseCases useCases, ConnectionRegistry registry, FrameDecoder decoder,
                      TokenBucketRateLimiter rateLimiter, ServerSettings settings, ServerMetrics metrics) {
        this.useCases = useCases;
        this.registry = registry;
        this.decoder = decoder;
        this.rateLimiter = rateLimiter;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Requests received and not yet answered. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public void onOpen(HttpServerExchange handshake, WireSocket socket) {
        Admission admission = handshake.getAttachment(Admission.KEY);
        if (admission == null) {
            // Only the gate leads here; without its admission there is nobody to serve.
            socket.close(CloseCodes.INTERNAL, "not admitted", true);
            return;
        }
        Connection connection = new Connection(admission.id(), admission.principal(), socket,
                registry.writesOf(socket.ioThread()), settings.outboundLimits(), metrics);
        registry.add(connection);
        Heartbeat heartbeat = Heartbeat.start(connection, settings.heartbeatIntervalMs(),
                settings.heartbeatTimeoutMs());
        XnioExecutor.Key expiry = expiryTimer(connection, admission.expiresAtMillis());
        LOG.debug("connection opened id={} user={} remote={}", connection.id(), connection.principal().id(),
                socket.peerAddress());
        registry.send(connection.id(), new ServerMessage.Welcome(connection.id(), connection.principal().user(),
                settings.nodeId(), settings.heartbeatIntervalMs(), settings.heartbeatTimeoutMs(), settings.limits(),
                settings.maxFrameBytes()));
        socket.start(new FrameListener(connection, () -> {
            heartbeat.stop();
            if (expiry != null) {
                expiry.remove();
            }
        }));
    }

    private XnioExecutor.Key expiryTimer(Connection connection, OptionalLong expiresAtMillis) {
        if (expiresAtMillis.isEmpty()) {
            return null;
        }
        long delay = Math.max(0, expiresAtMillis.getAsLong() - System.currentTimeMillis());
        return connection.socket().ioThread().executeAfter(
                () -> connection.close(CloseCodes.TOKEN_EXPIRED, "token expired"), delay, TimeUnit.MILLISECONDS);
    }

    /** One connection's frames and end, on its IO thread. */
    private final class FrameListener implements WireSocket.Handler {
        private final Connection connection;
        private final Runnable stopTimers;
        /** What the peer's close frame said; 1006 when the connection just dropped. */
        private int peerCode = 1006;
        private String peerReason = "connection lost";

        FrameListener(Connection connection, Runnable stopTimers) {
            this.connection = connection;
            this.stopTimers = stopTimers;
        }

        @Override
        public void onText(String text) {
            connection.touch();
            handle(text);
        }

        @Override
        public void onBinary() {
            connection.touch();
            connection.close(CloseCodes.UNSUPPORTED_DATA, "binary frames are not supported");
        }

        @Override
        public void onActivity() {
            connection.touch();
        }

        @Override
        public void onPeerClose(int code, String reason) {
            peerCode = code;
            peerReason = reason;
        }

        @Override
        public void onProtocolError(int code, String reason) {
            LOG.debug("connection {} broke the protocol: {} {}", connection.id(), code, reason);
            connection.drop(code, code == CloseCodes.TOO_BIG ? "frame too large" : reason);
        }

        @Override
        public void onClosed() {
            stopTimers.run();
            registry.remove(connection.id());
            rateLimiter.forget(connection.id());
            int code = connection.closeCode() >= 0 ? connection.closeCode() : peerCode;
            String reason = connection.closeCode() >= 0 ? connection.closeReason() : peerReason;
            metrics.closed(code);
            // Every open and close at INFO would be 20,000 lines for 10,000 clients that come and
            // go: only the closes the server decided on for a cause are worth an operator's eye.
            boolean forCause = connection.closeCode() >= 0 && code != CloseCodes.NORMAL
                    && code != CloseCodes.GOING_AWAY;
            String shown = reason.isEmpty() ? "-" : reason;
            if (forCause) {
                LOG.info("connection closed id={} user={} code={} reason={}", connection.id(),
                        connection.principal().id(), code, shown);
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("connection closed id={} user={} code={} reason={}", connection.id(),
                        connection.principal().id(), code, shown);
            }
            // Off the IO thread's call stack: the release takes application locks.
            Runnable release = () -> useCases.disconnect().disconnect(connection.id());
            try {
                connection.socket().ioThread().getWorker().execute(release);
            } catch (RejectedExecutionException stopping) {
                // The worker is stopping with the server; nothing holds application locks now.
                release.run();
            }
        }

        private void handle(String text) {
            Inbound inbound = decoder.decode(text, connection.id());
            metrics.frameIn(inbound.type());
            long retryAfter = rateLimiter.tryAcquire(connection.id());
            if (retryAfter > 0) {
                registry.send(connection.id(), new ServerMessage.Error(inbound.requestId(), ErrorCode.RATE_LIMITED,
                        "too many frames; retry in " + retryAfter + " ms", OptionalLong.of(retryAfter)));
                return;
            }
            try {
                dispatch(inbound);
            } catch (RuntimeException bug) {
                internalError(inbound.requestId(), bug);
            }
        }

        private void dispatch(Inbound inbound) {
            if (inbound instanceof Inbound.Invalid invalid) {
                registry.send(connection.id(), new ServerMessage.Error(invalid.requestId(), invalid.code(),
                        invalid.message(), OptionalLong.empty()));
            } else if (inbound instanceof Inbound.Ping ping) {
                registry.send(connection.id(), new ServerMessage.Pong(ping.id()));
            } else if (inbound instanceof Inbound.Chat chat) {
                long started = System.nanoTime();
                answer(inbound, useCases.chat().send(chat.command()),
                        outcome -> metrics.ackLatency(System.nanoTime() - started));
            } else if (inbound instanceof Inbound.Join join) {
                // The ack goes out first; the hand-over then queues the replay and live events behind it.
                answer(inbound, useCases.join().join(join.command()), outcome -> {
                    if (outcome instanceof JoinOutcome.Joined joined) {
                        joined.handOver().deliver();
                    }
                });
            } else if (inbound instanceof Inbound.Leave leave) {
                answer(inbound, useCases.leave().leave(leave.command()), NOTHING_MORE);
            } else if (inbound instanceof Inbound.Typing typing) {
                answer(inbound, useCases.typing().typing(typing.command()), NOTHING_MORE);
            } else if (inbound instanceof Inbound.History history) {
                answer(inbound, useCases.history().history(history.command()), NOTHING_MORE);
            } else if (inbound instanceof Inbound.Presence presence) {
                answer(inbound, useCases.presence().presence(presence.command()), NOTHING_MORE);
            }
        }

        /** Sends the answer to a request once its use case is done, then does {@code afterwards}. */
        private <T> void answer(Inbound inbound, CompletableFuture<T> outcome, Consumer<? super T> afterwards) {
            inFlight.incrementAndGet();
            outcome.whenComplete((result, failure) -> {
                try {
                    if (failure != null) {
                        internalError(inbound.requestId(), failure);
                        return;
                    }
                    Answers.to(inbound.requestId(), result).ifPresent(frame -> registry.send(connection.id(), frame));
                    afterwards.accept(result);
                } catch (RuntimeException bug) {
                    internalError(inbound.requestId(), bug);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }

        private void internalError(Optional<RequestId> requestId, Throwable bug) {
            LOG.error("internal error on connection {}", connection.id(), bug);
            registry.send(connection.id(), new ServerMessage.Error(requestId, ErrorCode.INTERNAL,
                    "internal error; it has been logged", OptionalLong.empty()));
        }
    }
}
