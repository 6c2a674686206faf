package dev.parley.application.service;

import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.AccessDecision;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.ErrorCode;
import dev.parley.domain.RequestId;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;

/** Answers to a connection's requests, shared by the use cases. */
final class Replies {
    private static final System.Logger LOG = System.getLogger(Replies.class.getName());

    private final Delivery delivery;

    Replies(Delivery delivery) {
        this.delivery = delivery;
    }

    void ack(ConnectionId connection, RequestId requestId, ServerMessage.AckPayload payload) {
        delivery.send(connection, new ServerMessage.Ack(requestId, payload));
    }

    void refuse(ConnectionId connection, Optional<RequestId> requestId, AccessDecision.Refused refusal) {
        error(connection, requestId, refusal.code(), refusal.message());
    }

    void error(ConnectionId connection, Optional<RequestId> requestId, ErrorCode code, String message) {
        delivery.send(connection, new ServerMessage.Error(requestId, code, message, OptionalLong.empty()));
    }

    /** A store or bus failed under a request: nothing was done, the client may retry. */
    void unavailable(ConnectionId connection, Optional<RequestId> requestId, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        LOG.log(Level.WARNING, "request of connection " + connection + " failed: " + cause);
        error(connection, requestId, ErrorCode.UNAVAILABLE, "a store the request needs is unavailable; retry later");
    }
}
