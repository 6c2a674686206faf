package dev.parley.adapters.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import dev.parley.domain.Validated;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * docs/protocol.md section 2 in both directions: client frames into use case commands (strictly
 * typed, no coercion), server messages into JSON text. Thread-safe.
 */
public final class ProtocolCodec {
    private static final String INVALID = "invalid";

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final JsonFactory scanner;
    private final Limits limits;
    private final Clock clock;

    public ProtocolCodec(Limits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.factory = JsonFactory.builder()
                // A frame is at most 64 KiB, so no legitimate frame nests deeper than this.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // Streams tokens only (no tree, no recursion), so it may follow a frame to any depth.
        this.scanner = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    // ---- decoding -------------------------------------------------------------------------

    /** Turns one text frame into a command, or says what is wrong with it. Never throws. */
    public Inbound decode(String text, ConnectionId connection) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            return overParserLimits(text);
        } catch (JsonProcessingException e) {
            return invalid(INVALID, Optional.empty(), ErrorCode.BAD_REQUEST, "frame is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return invalid(INVALID, Optional.empty(), ErrorCode.BAD_REQUEST, "frame must be a JSON object");
        }
        Optional<RequestId> id = Optional.empty();
        JsonNode idNode = root.get("id");
        String idProblem = null;
        if (idNode != null && !idNode.isNull()) {
            if (!idNode.isTextual()) {
                idProblem = "id must be a string";
            } else {
                Validated<RequestId> parsed = RequestId.parse(idNode.textValue());
                if (parsed instanceof Validated.Invalid<RequestId> bad) {
                    idProblem = bad.message();
                } else {
                    id = Optional.of(parsed.value());
                }
            }
        }
        JsonNode typeNode = root.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return invalid(INVALID, id, ErrorCode.BAD_REQUEST, "type must be a string");
        }
        String type = typeNode.textValue();
        if (!isKnownType(type)) {
            return invalid(INVALID, id, ErrorCode.UNKNOWN_TYPE, "unknown type '" + abbreviate(type) + "'");
        }
        if (idProblem != null) {
            return invalid(type, id, ErrorCode.BAD_REQUEST, idProblem);
        }
        if (id.isEmpty() && !type.equals("typing")) {
            return invalid(type, id, ErrorCode.BAD_REQUEST, "id is required on " + type);
        }
        if (type.equals("ping")) {
            // docs/protocol.md section 3: a ping's payload may be anything; it is not read.
            return new Inbound.Ping(id.get());
        }
        JsonNode payloadNode = root.get("payload");
        ObjectNode payload;
        if (payloadNode == null || payloadNode.isNull()) {
            payload = mapper.createObjectNode();
        } else if (payloadNode.isObject()) {
            payload = (ObjectNode) payloadNode;
        } else {
            return invalid(type, id, ErrorCode.BAD_REQUEST, "payload must be an object");
        }
        try {
            return decodePayload(type, id, payload, connection);
        } catch (BadField e) {
            return invalid(type, id, e.code, e.getMessage());
        }
    }

    /**
     * A frame the tree parser gave up on (over its nesting limit, or another of its limits).
     * A JSON object that is only nested too deep is {@code too_large} (its {@code data}, or an
     * ignored field, is far over the depth limit) and still answers its id (docs/protocol.md
     * section 6); anything else is not valid JSON. Scanned token by token, without a tree.
     */
    private Inbound overParserLimits(String text) {
        Optional<RequestId> id = Optional.empty();
        try (JsonParser parser = scanner.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return invalid(INVALID, id, ErrorCode.BAD_REQUEST, "frame must be a JSON object");
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    throw new JsonParseException(parser, "unexpected end of frame");
                } else if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                } else if (depth == 1 && token != JsonToken.FIELD_NAME && "id".equals(parser.currentName())) {
                    Validated<RequestId> parsed = RequestId.parse(
                            token == JsonToken.VALUE_STRING ? parser.getText() : null);
                    id = parsed.isValid() ? Optional.of(parsed.value()) : Optional.empty();
                }
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing tokens");
            }
        } catch (IOException e) {
            return invalid(INVALID, Optional.empty(), ErrorCode.BAD_REQUEST, "frame is not valid JSON");
        }
        return invalid(INVALID, id, ErrorCode.TOO_LARGE,
                "frame is nested too deep; data may nest at most " + limits.maxDataDepth() + " levels");
    }

    private static boolean isKnownType(String type) {
        switch (type) {
            case "join_room", "leave_room", "chat", "typing", "history", "presence", "ping":
                return true;
            default:
                return false;
        }
    }

    private Inbound decodePayload(String type, Optional<RequestId> id, ObjectNode payload, ConnectionId connection) {
        switch (type) {
            case "join_room": {
                RoomName room = room(payload);
                Optional<StreamPosition> since = Optional.empty();
                JsonNode sinceNode = payload.get("since");
                if (sinceNode != null && !sinceNode.isNull()) {
                    if (!sinceNode.isObject()) {
                        throw new BadField("since must be an object {seq, epoch}");
                    }
                    long seq = requiredSeq(sinceNode, "seq");
                    String epoch = requiredString(sinceNode, "epoch", "since.epoch");
                    since = Optional.of(valid(StreamPosition.parse(seq, epoch)));
                }
                return new Inbound.Join(id.get(), new JoinRoomCommand(connection, room, since));
            }
            case "leave_room":
                return new Inbound.Leave(id.get(), new LeaveRoomCommand(connection, room(payload)));
            case "chat": {
                RoomName room = room(payload);
                MessageText text = valid(MessageText.sanitize(requiredString(payload, "text", "text"), limits));
                return new Inbound.Chat(new SendChatCommand(connection, id.get(), room, text, data(payload)));
            }
            case "typing": {
                RoomName room = room(payload);
                JsonNode active = payload.get("active");
                if (active == null || !active.isBoolean()) {
                    throw new BadField("active must be a boolean");
                }
                return new Inbound.Typing(id, new SendTypingCommand(connection, room, active.booleanValue()));
            }
            case "history": {
                RoomName room = room(payload);
                HistoryQuery query = valid(HistoryQuery.of(room, optionalSeq(payload, "after"),
                        optionalSeq(payload, "before"), optionalLimit(payload), limits));
                return new Inbound.History(id.get(), new QueryHistoryCommand(Requester.connection(connection), query));
            }
            case "presence":
                return new Inbound.Presence(id.get(), new QueryPresenceCommand(Requester.connection(connection), room(payload)));
            default:
                throw new IllegalStateException("type checked before: " + type);
        }
    }

    /** Reads and validates the {@code data} of a message (HTTP API and chat frames alike). */
    Optional<MessageData> data(JsonNode payload) {
        JsonNode data = payload.get("data");
        if (data == null || data.isNull()) {
            return Optional.empty();
        }
        if (!data.isObject()) {
            throw new BadField("data must be an object");
        }
        try {
            return Optional.of(valid(MessageData.parse(mapper.writeValueAsString(data), limits)));
        } catch (JsonProcessingException e) {
            throw new BadField("data cannot be encoded");
        }
    }

    RoomName room(JsonNode payload) {
        return valid(RoomName.parse(requiredString(payload, "room", "room")));
    }

    private static String requiredString(JsonNode node, String field, String label) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadField(label + " must be a string");
        }
        return value.textValue();
    }

    private static long requiredSeq(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || !StreamPosition.isValidSeq(value.longValue())) {
            throw new BadField(field + " must be an integer in 0..2^53");
        }
        return value.longValue();
    }

    private static OptionalLong optionalSeq(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? OptionalLong.empty() : OptionalLong.of(requiredSeq(node, field));
    }

    private static OptionalLong optionalLimit(JsonNode node) {
        JsonNode value = node.get("limit");
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadField("limit must be an integer");
        }
        return OptionalLong.of(value.longValue());
    }

    private static <T> T valid(Validated<T> validated) {
        if (validated instanceof Validated.Invalid<T> invalid) {
            throw new BadField(ErrorCode.of(invalid.violation()), invalid.message());
        }
        return validated.value();
    }

    private static Inbound invalid(String type, Optional<RequestId> id, ErrorCode code, String message) {
        return new Inbound.Invalid(type, id, code, message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }

    /** A field of a frame is missing, ill-typed or over a limit. */
    static final class BadField extends RuntimeException {
        final ErrorCode code;

        BadField(String message) {
            this(ErrorCode.BAD_REQUEST, message);
        }

        BadField(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    // ---- encoding -------------------------------------------------------------------------

    /** The frame of a room event, as every member of the room gets it. */
    public String encode(RoomEvent event) {
        return encode(ServerMessage.of(event));
    }

    /** The frame for a server message, stamped with the server's clock. */
    String encode(ServerMessage message) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
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

    static String typeOf(ServerMessage message) {
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
            writeMessage(json, chat.message());
        } else if (message instanceof ServerMessage.Ack ack) {
            writeAck(json, ack.payload());
        } else if (message instanceof ServerMessage.Typing typing) {
            json.writeStartObject();
            json.writeStringField("room", typing.room().value());
            json.writeFieldName("user");
            writeUser(json, typing.user());
            json.writeBooleanField("active", typing.active());
            json.writeEndObject();
        } else if (message instanceof ServerMessage.Presence presence) {
            json.writeStartObject();
            json.writeStringField("room", presence.room().value());
            json.writeStringField("event", presence.joined() ? "join" : "leave");
            json.writeFieldName("user");
            writeUser(json, presence.user());
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
        writeUser(json, welcome.user());
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
            writeUsers(json, join.presence());
        } else if (payload instanceof ServerMessage.LeaveAck leave) {
            json.writeStringField("room", leave.room().value());
        } else if (payload instanceof ServerMessage.ChatAck chat) {
            json.writeStringField("room", chat.room().value());
            json.writeNumberField("seq", chat.seq());
            json.writeBooleanField("duplicate", chat.duplicate());
        } else if (payload instanceof ServerMessage.HistoryAck history) {
            writeHistoryFields(json, history.page());
        } else if (payload instanceof ServerMessage.PresenceAck presence) {
            json.writeStringField("room", presence.room().value());
            json.writeFieldName("members");
            writeUsers(json, presence.members());
        }
        json.writeEndObject();
    }

    void writeHistoryFields(JsonGenerator json, HistoryPage page) throws IOException {
        json.writeStringField("room", page.room().value());
        json.writeArrayFieldStart("messages");
        for (ChatMessage message : page.messages()) {
            writeMessage(json, message);
        }
        json.writeEndArray();
        json.writeBooleanField("hasMore", page.hasMore());
    }

    static void writeMessage(JsonGenerator json, ChatMessage message) throws IOException {
        json.writeStartObject();
        json.writeStringField("room", message.room().value());
        json.writeNumberField("seq", message.seq());
        json.writeStringField("id", message.id().value());
        json.writeFieldName("from");
        writeUser(json, message.from());
        json.writeStringField("text", message.text().value());
        if (message.data().isPresent()) {
            json.writeFieldName("data");
            json.writeRawValue(message.data().get().json());
        }
        json.writeNumberField("sentAt", message.sentAt());
        json.writeEndObject();
    }

    static void writeUsers(JsonGenerator json, List<User> users) throws IOException {
        json.writeStartArray();
        for (User user : users) {
            writeUser(json, user);
        }
        json.writeEndArray();
    }

    static void writeUser(JsonGenerator json, User user) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", user.id().value());
        json.writeStringField("name", user.name());
        json.writeEndObject();
    }

    /** Writes a JSON document with the codec's factory. */
    String write(JsonWriter writer) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @FunctionalInterface
    interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }
}
