package dev.parley.adapters.websocket;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.adapters.websocket.frames.ServerMessage;
import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.LeaveOutcome;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.TypingOutcome;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.RequestId;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one place where the use cases' outcomes become this wire's answers (docs/protocol.md
 * sections 3 and 6): an {@code ack} with its payload, an {@code error}, or nothing (a typing
 * indicator that went out; a connection that is gone).
 */
final class Answers {
    private Answers() {
    }

    /** The answer to the request {@code replyTo} (absent on a typing frame without an id) that had {@code outcome}. */
    static Optional<ServerMessage> to(Optional<RequestId> replyTo, Object outcome) {
        if (outcome instanceof NotConnected || outcome instanceof TypingOutcome.Sent) {
            return Optional.empty();
        }
        if (outcome instanceof Refused refused) {
            return Optional.of(new ServerMessage.Error(replyTo, ErrorCode.of(refused.reason()), refused.message(),
                    OptionalLong.empty()));
        }
        if (outcome instanceof Unavailable) {
            return Optional.of(new ServerMessage.Error(replyTo, ErrorCode.UNAVAILABLE,
                    "a store the request needs is unavailable; retry later", OptionalLong.empty()));
        }
        RequestId id = replyTo.orElseThrow(() -> new IllegalArgumentException("an ack needs a request id: " + outcome));
        return Optional.of(new ServerMessage.Ack(id, ackPayload(outcome)));
    }

    private static ServerMessage.AckPayload ackPayload(Object outcome) {
        if (outcome instanceof ChatOutcome.Stored stored) {
            return new ServerMessage.ChatAck(stored.message().room(), stored.message().seq(), false);
        } else if (outcome instanceof ChatOutcome.Duplicate duplicate) {
            return new ServerMessage.ChatAck(duplicate.message().room(), duplicate.message().seq(), true);
        } else if (outcome instanceof JoinOutcome.Joined joined) {
            return new ServerMessage.JoinAck(joined.room(), joined.epoch(), joined.latestSeq(), joined.recovered(),
                    joined.replayed(), joined.presence());
        } else if (outcome instanceof LeaveOutcome.Left left) {
            return new ServerMessage.LeaveAck(left.room());
        } else if (outcome instanceof HistoryOutcome.Page page) {
            return new ServerMessage.HistoryAck(page.page());
        } else if (outcome instanceof PresenceOutcome.Members members) {
            return new ServerMessage.PresenceAck(members.room(), members.users());
        }
        throw new IllegalArgumentException("no answer for " + outcome);
    }
}
