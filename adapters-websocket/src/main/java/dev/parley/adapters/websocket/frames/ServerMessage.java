package dev.parley.adapters.websocket.frames;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.Limits;
import dev.parley.domain.NodeId;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Everything the server sends a connection (docs/protocol.md sections 3, 4 and 6), before encoding. */
public sealed interface ServerMessage {

    /** The frame for a room event: the same for every member, so it is encoded once. */
    public static ServerMessage of(RoomEvent event) {
        if (event instanceof RoomEvent.Posted posted) {
            return new Chat(posted.message());
        } else if (event instanceof RoomEvent.Typing typing) {
            return new Typing(typing.room(), typing.user(), typing.active());
        }
        RoomEvent.PresenceChanged change = (RoomEvent.PresenceChanged) event;
        return new Presence(change.room(), change.joined(), change.user(), change.count());
    }

    record Welcome(ConnectionId connectionId, User user, NodeId node, long heartbeatIntervalMs,
                   long heartbeatTimeoutMs, Limits limits, int maxFrameBytes) implements ServerMessage {
        public Welcome {
            Objects.requireNonNull(connectionId, "connectionId");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(limits, "limits");
        }
    }

    /** A stored message, delivered to every member of its room. */
    record Chat(ChatMessage message) implements ServerMessage {
        public Chat {
            Objects.requireNonNull(message, "message");
        }
    }

    record Typing(RoomName room, User user, boolean active) implements ServerMessage {
        public Typing {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    record Presence(RoomName room, boolean joined, User user, int count) implements ServerMessage {
        public Presence {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(user, "user");
        }
    }

    record Ack(RequestId replyTo, AckPayload payload) implements ServerMessage {
        public Ack {
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** {@code replyTo} is absent when the offending frame had no valid id. */
    record Error(Optional<RequestId> replyTo, ErrorCode code, String message, OptionalLong retryAfterMs)
            implements ServerMessage {
        public Error {
            Objects.requireNonNull(replyTo, "replyTo");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfterMs, "retryAfterMs");
        }

        public static Error of(RequestId replyTo, ErrorCode code, String message) {
            return new Error(Optional.ofNullable(replyTo), code, message, OptionalLong.empty());
        }
    }

    record Pong(RequestId replyTo) implements ServerMessage {
        public Pong {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The payloads of {@code ack}, one per request type. */
    sealed interface AckPayload {
    }

    record JoinAck(RoomName room, Epoch epoch, long seq, boolean recovered, int replay, List<User> presence)
            implements AckPayload {
        public JoinAck {
            presence = List.copyOf(presence);
        }
    }

    record LeaveAck(RoomName room) implements AckPayload {
    }

    record ChatAck(RoomName room, long seq, boolean duplicate) implements AckPayload {
    }

    record HistoryAck(HistoryPage page) implements AckPayload {
    }

    record PresenceAck(RoomName room, List<User> members) implements AckPayload {
        public PresenceAck {
            members = List.copyOf(members);
        }
    }
}
