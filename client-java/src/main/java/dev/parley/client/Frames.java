package dev.parley.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.domain.Epoch;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** The JSON codec (docs/protocol.md sections 3-6): frames out, and server frames into the public records. */
final class Frames {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Frames() {
    }

    /** A server frame: its {@code type}, the {@code id} it answers (or null) and its payload. */
    record Inbound(String type, String replyTo, JsonNode payload) {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    // ---- out -----------------------------------------------------------------------------------

    /** A frame with an id, which the server's answer carries as {@code replyTo}. */
    static ObjectNode request(String type, String id, ObjectNode payload) {
        ObjectNode frame = MAPPER.createObjectNode().put("type", type).put("id", id);
        frame.set("payload", payload);
        return frame;
    }

    static ObjectNode room(String room) {
        return MAPPER.createObjectNode().put("room", room);
    }

    static ObjectNode join(String room, StreamPosition since) {
        ObjectNode payload = room(room);
        if (since != null) {
            payload.putObject("since").put("seq", since.seq()).put("epoch", since.epoch().value());
        }
        return payload;
    }

    static ObjectNode history(String room, HistoryRequest page) {
        ObjectNode payload = room(room);
        page.before().ifPresent(seq -> payload.put("before", seq));
        page.after().ifPresent(seq -> payload.put("after", seq));
        page.limit().ifPresent(limit -> payload.put("limit", limit));
        return payload;
    }

    static ObjectNode chat(Outbox.Entry entry) {
        ObjectNode payload = room(entry.room).put("text", entry.text);
        entry.data.ifPresent(data -> payload.set("data", data));
        return request("chat", entry.id, payload);
    }

    static ObjectNode typing(String room, boolean active) {
        ObjectNode frame = MAPPER.createObjectNode().put("type", "typing");
        frame.set("payload", room(room).put("active", active));
        return frame;
    }

    static ObjectNode ping(String id) {
        return request("ping", id, MAPPER.createObjectNode());
    }

    // ---- in ------------------------------------------------------------------------------------

    /** The frame, or empty when the text is not JSON (so not from a Parley server). */
    static Optional<Inbound> parse(String text) {
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        return Optional.of(new Inbound(frame.path("type").asText(""),
                frame.hasNonNull("replyTo") ? frame.get("replyTo").asText() : null, frame.path("payload")));
    }

    static Message message(JsonNode node) {
        JsonNode data = node.get("data");
        return new Message(node.path("room").asText(), node.path("seq").asLong(), node.path("id").asText(),
                user(node.get("from")), node.path("text").asText(),
                data == null || data.isNull() ? Optional.empty() : Optional.of(data),
                node.path("sentAt").asLong());
    }

    static HistoryPage historyPage(JsonNode ack) {
        List<Message> messages = new ArrayList<>();
        JsonNode array = ack.path("messages");
        if (array instanceof ArrayNode) {
            for (JsonNode node : array) {
                messages.add(message(node));
            }
        }
        return new HistoryPage(ack.path("room").asText(), messages, ack.path("hasMore").asBoolean(false));
    }

    static JoinResult joinResult(String room, JsonNode ack) {
        Epoch epoch = Epoch.of(ack.get("epoch").asText());
        long seq = ack.get("seq").asLong();
        return new JoinResult(room, new StreamPosition(seq, epoch), ack.path("recovered").asBoolean(false),
                ack.path("replay").asLong(0), users(ack.get("presence")));
    }

    static ChatAck chatAck(Outbox.Entry entry, JsonNode ack) {
        return new ChatAck(entry.room, entry.id, ack.path("seq").asLong(), ack.path("duplicate").asBoolean(false));
    }

    static TypingEvent typingEvent(JsonNode payload) {
        return new TypingEvent(payload.path("room").asText(), user(payload.get("user")),
                payload.path("active").asBoolean());
    }

    static User user(JsonNode node) {
        String id = node == null ? "unknown" : node.path("id").asText("unknown");
        String name = node == null ? id : node.path("name").asText(id);
        return User.withDisplayName(UserId.of(id), name);
    }

    static List<User> users(JsonNode array) {
        List<User> users = new ArrayList<>();
        if (array != null) {
            for (JsonNode node : array) {
                users.add(user(node));
            }
        }
        return users;
    }

    static ParleyException error(JsonNode payload) {
        JsonNode retry = payload.get("retryAfterMs");
        return new ParleyException(payload.path("code").asText("internal"), payload.path("message").asText(""),
                retry != null && retry.canConvertToLong() ? OptionalLong.of(retry.asLong()) : OptionalLong.empty());
    }
}
