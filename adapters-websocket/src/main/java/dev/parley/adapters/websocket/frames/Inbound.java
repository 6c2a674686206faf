package dev.parley.adapters.websocket.frames;

import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.domain.RequestId;
import java.util.Optional;

/** One decoded client frame: a use case command with the id its answer replies to, a ping, or why the frame was refused. */
public sealed interface Inbound {

    /** The frame's type as sent, for metrics; {@code invalid} when it had none. */
    String type();

    /** The frame's id, when it carried a valid one: answers and errors reply to it. */
    Optional<RequestId> requestId();

    record Join(RequestId id, JoinRoomCommand command) implements Inbound {
        public String type() {
            return "join_room";
        }

        public Optional<RequestId> requestId() {
            return Optional.of(id);
        }
    }

    record Leave(RequestId id, LeaveRoomCommand command) implements Inbound {
        public String type() {
            return "leave_room";
        }

        public Optional<RequestId> requestId() {
            return Optional.of(id);
        }
    }

    /** The frame's id is also the message's idempotency key. */
    record Chat(SendChatCommand command) implements Inbound {
        public String type() {
            return "chat";
        }

        public Optional<RequestId> requestId() {
            return Optional.of(command.id());
        }
    }

    /** {@code id} is optional on typing; when present an error replies to it. */
    record Typing(Optional<RequestId> requestId, SendTypingCommand command) implements Inbound {
        public String type() {
            return "typing";
        }
    }

    record History(RequestId id, QueryHistoryCommand command) implements Inbound {
        public String type() {
            return "history";
        }

        public Optional<RequestId> requestId() {
            return Optional.of(id);
        }
    }

    record Presence(RequestId id, QueryPresenceCommand command) implements Inbound {
        public String type() {
            return "presence";
        }

        public Optional<RequestId> requestId() {
            return Optional.of(id);
        }
    }

    record Ping(RequestId id) implements Inbound {
        public String type() {
            return "ping";
        }

        public Optional<RequestId> requestId() {
            return Optional.of(id);
        }
    }

    record Invalid(String type, Optional<RequestId> requestId, ErrorCode code, String message) implements Inbound {
    }
}
