package dev.parley.adapters.pusher;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The JSON of the Pusher protocol. Every event the server sends carries its {@code data} as a
 * JSON string (the object inside is encoded twice), except {@code pusher:error}, whose data is
 * an object, as Pusher sends it. Thread-safe.
 */
final class PusherFrames {
    private final JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();
    private final ObjectMapper mapper = new ObjectMapper(factory);

    ObjectMapper mapper() {
        return mapper;
    }

    /** One frame from a client: its event, its channel when it named one, and its data. */
    record Inbound(String event, Optional<String> channel, JsonNode data) {
    }

    /** The frame, or empty when it is not a JSON object with a string {@code event}. */
    Optional<Inbound> read(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject() || !root.path("event").isTextual()) {
            return Optional.empty();
        }
        JsonNode channel = root.get("channel");
        return Optional.of(new Inbound(root.get("event").textValue(),
                channel != null && channel.isTextual() ? Optional.of(channel.textValue()) : Optional.empty(),
                root.has("data") ? root.get("data") : mapper.nullNode()));
    }

    /**
     * The data of a {@code pusher:*} request as an object: clients send an object, some a JSON
     * string of one. Empty when it is neither.
     */
    Optional<ObjectNode> object(JsonNode data) {
        if (data.isObject()) {
            return Optional.of((ObjectNode) data);
        }
        if (data.isTextual()) {
            try {
                JsonNode parsed = mapper.readTree(data.textValue());
                return parsed != null && parsed.isObject() ? Optional.of((ObjectNode) parsed) : Optional.empty();
            } catch (JsonProcessingException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** What a client event's data becomes on its way to the others: a string as it is, anything else as its JSON. */
    String dataText(JsonNode data) {
        return data.isTextual() ? data.textValue() : data.toString();
    }

    /** An event with its data given as the text to put in the JSON string. */
    String event(String event, String channel, String data, String userId) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("event", event);
            if (channel != null) {
                json.writeStringField("channel", channel);
            }
            json.writeStringField("data", data);
            if (userId != null) {
                json.writeStringField("user_id", userId);
            }
            json.writeEndObject();
        });
    }

    /** {@code pusher:error}: its data an object, not a string. */
    String error(int code, String message) {
        return write(json -> {
            json.writeStartObject();
            json.writeStringField("event", "pusher:error");
            json.writeObjectFieldStart("data");
            json.writeNumberField("code", code);
            json.writeStringField("message", message);
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** The text of a JSON document written with this front door's factory. */
    String write(JsonWriter writer) {
        StringWriter out = new StringWriter(128);
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
