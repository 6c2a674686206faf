package dev.parley.adapters.websocket.frames;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.domain.Limits;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * docs/protocol.md section 2, server to client: a server message or a room event into the text
 * of its frame, stamped with the server's clock. Thread-safe.
 */
public final class FrameEncoder {
    private final Json json;
    private final Clock clock;

    public FrameEncoder(Json json, Clock clock) {
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The frame of a room event, as every member of the room gets it. */
    public String encode(RoomEvent event) {
        return encode(ServerMessage.of(event));
    }

    /** The frame for a server message, stamped with the server's clock. */
    public String encode(ServerMessage message) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = this.json.generator(out)) {
            json.writeStartObject();
            json.writeStringField("type", typeOf(message));
            Optional<RequestId> replyTo = replyTo(message);
            if (replyTo.isPresent()) {
                json.writeStringField("replyTo", replyTo.get().value());
            }
            json.writeFieldName("payload");
            writePayload(json, message);
            json.writeNumberField("timestamp", clock.millis());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static String typeOf(ServerMessage message) {
        if (message instanceof ServerMessage.Chat) {
            return "chat";
        } else if (message instanceof ServerMessage.Ack) {
            return "ack";
        } else if (message instanceof ServerMessage.Typing) {
            return "typing";
        } else if (message instanceof ServerMessage.Presence) {
            return "presence";
        } else if (message instanceof ServerMessage.Error) {
            return "error";
        } else if (message instanceof ServerMessage.Pong) {
            return "pong";
        } else if (message instanceof ServerMessage.Welcome) {
            return "welcome";
        }
        throw new IllegalArgumentException("unknown server message " + message);
    }

    private static Optional<RequestId> replyTo(ServerMessage message) {
        if (message instanceof ServerMessage.Ack ack) {
            return Optional.of(ack.replyTo());
        } else if (message instanceof ServerMessage.Error error) {
            return error.replyTo();
        } else if (message instanceof ServerMessage.Pong pong) {
            return Optional.of(pong.replyTo());
        }
        return Optional.empty();
    }

    private void writePayload(JsonGenerator json, ServerMessage message) throws IOException {
        if (message instanceof ServerMessage.Chat chat) {
            Json.writeMessage(json, chat.message());
        } else if (message instanceof ServerMessage.Ack ack) {
            writeAck(json, ack.payload());
        } else if (message instanceof ServerMessage.Typing typing) {
            json.writeStartObject();
            json.writeStringField("room", typing.room().value());
            json.writeFieldName("user");
            Json.writeUser(json, typing.user());
            json.writeBooleanField("active", typing.active());
            json.writeEndObject();
        } else if (message instanceof ServerMessage.Presence presence) {
            json.writeStartObject();
            json.writeStringField("room", presence.room().value());
            json.writeStringField("event", presence.joined() ? "join" : "leave");
            json.writeFieldName("user");
            Json.writeUser(json, presence.user());
            json.writeNumberField("count", presence.count());
            json.writeEndObject();
        } else if (message instanceof ServerMessage.Error error) {
            json.writeStartObject();
            json.writeStringField("code", error.code().wireName());
            json.writeStringField("message", error.message());
            if (error.retryAfterMs().isPresent()) {
                json.writeNumberField("retryAfterMs", error.retryAfterMs().getAsLong());
            }
            json.writeEndObject();
        } else if (message instanceof ServerMessage.Pong) {
            json.writeStartObject();
            json.writeEndObject();
        } else if (message instanceof ServerMessage.Welcome welcome) {
            writeWelcome(json, welcome);
        }
    }

    private void writeWelcome(JsonGenerator json, ServerMessage.Welcome welcome) throws IOException {
        Limits l = welcome.limits();
        json.writeStartObject();
        json.writeStringField("connectionId", welcome.connectionId().value());
        json.writeFieldName("user");
        Json.writeUser(json, welcome.user());
        json.writeStringField("node", welcome.node().value());
        json.writeNumberField("protocol", 1);
        json.writeObjectFieldStart("heartbeat");
        json.writeNumberField("intervalMs", welcome.heartbeatIntervalMs());
        json.writeNumberField("timeoutMs", welcome.heartbeatTimeoutMs());
        json.writeEndObject();
        json.writeObjectFieldStart("limits");
        json.writeNumberField("maxTextLength", l.maxTextCodePoints());
        json.writeNumberField("maxDataBytes", l.maxDataBytes());
        json.writeNumberField("maxDataDepth", l.maxDataDepth());
        json.writeNumberField("maxFrameBytes", welcome.maxFrameBytes());
        json.writeNumberField("maxRoomsPerConnection", l.maxRoomsPerConnection());
        json.writeNumberField("maxConnectionsPerUser", l.maxConnectionsPerUser());
        json.writeNumberField("maxMembersPerRoom", l.maxMembersPerRoom());
        json.writeNumberField("maxHistoryLimit", l.maxHistoryLimit());
        json.writeEndObject();
        json.writeEndObject();
    }

    private void writeAck(JsonGenerator json, ServerMessage.AckPayload payload) throws IOException {
        json.writeStartObject();
        if (payload instanceof ServerMessage.JoinAck join) {
            json.writeStringField("room", join.room().value());
            json.writeStringField("epoch", join.epoch().value());
            json.writeNumberField("seq", join.seq());
            json.writeBooleanField("recovered", join.recovered());
            json.writeNumberField("replay", join.replay());
            json.writeFieldName("presence");
            Json.writeUsers(json, join.presence());
        } else if (payload instanceof ServerMessage.LeaveAck leave) {
            json.writeStringField("room", leave.room().value());
        } else if (payload instanceof ServerMessage.ChatAck chat) {
            json.writeStringField("room", chat.room().value());
            json.writeNumberField("seq", chat.seq());
            json.writeBooleanField("duplicate", chat.duplicate());
        } else if (payload instanceof ServerMessage.HistoryAck history) {
            Json.writeHistoryFields(json, history.page());
        } else if (payload instanceof ServerMessage.PresenceAck presence) {
            json.writeStringField("room", presence.room().value());
            json.writeFieldName("members");
            Json.writeUsers(json, presence.members());
        }
        json.writeEndObject();
    }
}
