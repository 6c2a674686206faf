package dev.parley.adapters.websocket.frames;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageData;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.Validated;
import dev.parley.domain.Violation;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON of this wire, shared by the frame codec and the HTTP API: one factory with a nesting
 * limit, and the writers and readers of the objects both speak (messages, users, history pages,
 * a message's {@code data}, a room name). Thread-safe.
 */
public final class Json {
    public static final int MAX_ROOM_LENGTH = 128;

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final Limits limits;

    public Json(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.factory = JsonFactory.builder()
                // A frame is at most 64 KiB, so no legitimate frame nests deeper than this.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                .build();
        this.mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads and validates the {@code data} of a message (HTTP API and chat frames alike). */
    public Optional<MessageData> data(JsonNode payload) {
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

    public RoomName room(JsonNode payload) {
        return valid(parseRoom(requiredString(payload, "room", "room")));
    }

    /** A room name as this wire allows it: the domain's rules, at most 128 characters (docs/protocol.md section 7). */
    public static Validated<RoomName> parseRoom(String value) {
        if (value != null && value.length() > MAX_ROOM_LENGTH) {
            return Validated.invalid(Violation.MALFORMED, "room must be 1 to " + MAX_ROOM_LENGTH + " characters");
        }
        return RoomName.parse(value);
    }

    static String requiredString(JsonNode node, String field, String label) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadField(label + " must be a string");
        }
        return value.textValue();
    }

    static <T> T valid(Validated<T> validated) {
        if (validated instanceof Validated.Invalid<T> invalid) {
            throw new BadField(ErrorCode.of(invalid.violation()), invalid.message());
        }
        return validated.value();
    }

    /** A field of a frame is missing, ill-typed or over a limit. */
    public static final class BadField extends RuntimeException {
        private final ErrorCode code;

        BadField(String message) {
            this(ErrorCode.BAD_REQUEST, message);
        }

        BadField(ErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    public static void writeHistoryFields(JsonGenerator json, HistoryPage page) throws IOException {
        json.writeStringField("room", page.room().value());
        json.writeArrayFieldStart("messages");
        for (ChatMessage message : page.messages()) {
            writeMessage(json, message);
        }
        json.writeEndArray();
        json.writeBooleanField("hasMore", page.hasMore());
    }

    public static void writeMessage(JsonGenerator json, ChatMessage message) throws IOException {
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

    public static void writeUsers(JsonGenerator json, List<User> users) throws IOException {
        json.writeStartArray();
        for (User user : users) {
            writeUser(json, user);
        }
        json.writeEndArray();
    }

    public static void writeUser(JsonGenerator json, User user) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", user.id().value());
        json.writeStringField("name", user.name());
        json.writeEndObject();
    }

    JsonGenerator generator(Writer out) throws IOException {
        return factory.createGenerator(out);
    }

    /** Writes a JSON document with this wire's factory. */
    public String write(JsonWriter writer) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = factory.createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @FunctionalInterface
    public interface JsonWriter {
        void write(JsonGenerator json) throws IOException;
    }
}
