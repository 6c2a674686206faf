package dev.parley.adapters.websocket.frames;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import dev.parley.domain.ConnectionId;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.Validated;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * docs/protocol.md section 2, client to server: a text frame into a use case command, strictly
 * typed with no coercion, or the reason it is refused. Thread-safe.
 */
public final class FrameDecoder {
    private static final String INVALID = "invalid";

    private final Json json;
    private final ObjectMapper mapper;
    private final JsonFactory scanner;
    private final Limits limits;

    public FrameDecoder(Json json, Limits limits) {
        this.json = Objects.requireNonNull(json, "json");
        this.mapper = json.mapper();
        this.limits = Objects.requireNonNull(limits, "limits");
        // Streams tokens only (no tree, no recursion), so it may follow a frame to any depth.
        this.scanner = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build())
                .build();
    }

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
        } catch (Json.BadField e) {
            return invalid(type, id, e.code(), e.getMessage());
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
                RoomName room = json.room(payload);
                Optional<StreamPosition> since = Optional.empty();
                JsonNode sinceNode = payload.get("since");
                if (sinceNode != null && !sinceNode.isNull()) {
                    if (!sinceNode.isObject()) {
                        throw new Json.BadField("since must be an object {seq, epoch}");
                    }
                    long seq = requiredSeq(sinceNode, "seq");
                    String epoch = Json.requiredString(sinceNode, "epoch", "since.epoch");
                    since = Optional.of(Json.valid(StreamPosition.parse(seq, epoch)));
                }
                return new Inbound.Join(id.get(), new JoinRoomCommand(connection, room, since));
            }
            case "leave_room":
                return new Inbound.Leave(id.get(), new LeaveRoomCommand(connection, json.room(payload)));
            case "chat": {
                RoomName room = json.room(payload);
                MessageText text = Json.valid(MessageText.sanitize(Json.requiredString(payload, "text", "text"), limits));
                return new Inbound.Chat(new SendChatCommand(connection, id.get(), room, text, json.data(payload)));
            }
            case "typing": {
                RoomName room = json.room(payload);
                JsonNode active = payload.get("active");
                if (active == null || !active.isBoolean()) {
                    throw new Json.BadField("active must be a boolean");
                }
                return new Inbound.Typing(id, new SendTypingCommand(connection, room, active.booleanValue()));
            }
            case "history": {
                RoomName room = json.room(payload);
                HistoryQuery query = Json.valid(HistoryQuery.of(room, optionalSeq(payload, "after"),
                        optionalSeq(payload, "before"), optionalLimit(payload), limits));
                return new Inbound.History(id.get(), new QueryHistoryCommand(Requester.connection(connection), query));
            }
            case "presence":
                return new Inbound.Presence(id.get(), new QueryPresenceCommand(Requester.connection(connection), json.room(payload)));
            default:
                throw new IllegalStateException("type checked before: " + type);
        }
    }

    private static long requiredSeq(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()
                || !StreamPosition.isValidSeq(value.longValue())) {
            throw new Json.BadField(field + " must be an integer in 0..2^53");
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
            throw new Json.BadField("limit must be an integer");
        }
        return OptionalLong.of(value.longValue());
    }

    private static Inbound invalid(String type, Optional<RequestId> id, ErrorCode code, String message) {
        return new Inbound.Invalid(type, id, code, message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }
}
