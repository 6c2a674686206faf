package dev.parley.adapters.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The bytes of a room event on the bus: one compact JSON object, written once per event whatever
 * the number of nodes. Besides the event it names the node that sent it (so that a node can skip
 * its own echo), and it can also say "catch up from history" instead of carrying an event.
 *
 * <pre>
 * {"n":"node-a","k":"c","r":"lobby","s":42,"i":"req-1","u":"alice","un":"Alice","x":"hi","d":"{...}","t":1732500000000}
 * {"n":"node-a","k":"t","r":"lobby","u":"alice","un":"Alice","a":true,"o":"conn-1"}
 * {"n":"node-a","k":"p","r":"lobby","u":"alice","un":"Alice","ui":"{...}","j":false,"c":3,"o":"conn-1"}
 * {"n":"node-a","k":"b","r":"lobby","e":"client-moved","x":"{...}","o":"conn-1","u":"42","un":"42"}
 * {"n":"node-a","k":"l","r":"lobby"}
 * </pre>
 * A user's {@code "ui"} (info) and a broadcast's {@code "o"} and user are there only when present.
 */
final class RoomEventCodec {
    private static final String CHAT = "c";
    private static final String TYPING = "t";
    private static final String PRESENCE = "p";
    private static final String BROADCAST = "b";
    private static final String LOSS = "l";

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory factory = mapper.getFactory();

    /** What came off the bus: an event, or a hint that events of a room may have been lost. */
    sealed interface Decoded permits Event, PossibleLoss {
        String node();

        RoomName room();
    }

    record Event(String node, RoomEvent event) implements Decoded {
        @Override
        public RoomName room() {
            return event.room();
        }
    }

    record PossibleLoss(String node, RoomName room) implements Decoded {
    }

    byte[] encode(String node, RoomEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (JsonGenerator json = factory.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("n", node);
            if (event instanceof RoomEvent.Posted posted) {
                ChatMessage message = posted.message();
                json.writeStringField("k", CHAT);
                json.writeStringField("r", message.room().value());
                json.writeNumberField("s", message.seq());
                json.writeStringField("i", message.id().value());
                writeUser(json, message.from());
                json.writeStringField("x", message.text().value());
                if (message.data().isPresent()) {
                    json.writeStringField("d", message.data().get().json());
                }
                json.writeNumberField("t", message.sentAt());
            } else if (event instanceof RoomEvent.Typing typing) {
                json.writeStringField("k", TYPING);
                json.writeStringField("r", typing.room().value());
                writeUser(json, typing.user());
                json.writeBooleanField("a", typing.active());
                json.writeStringField("o", typing.origin().value());
            } else if (event instanceof RoomEvent.PresenceChanged change) {
                json.writeStringField("k", PRESENCE);
                json.writeStringField("r", change.room().value());
                writeUser(json, change.user());
                json.writeBooleanField("j", change.joined());
                json.writeNumberField("c", change.count());
                json.writeStringField("o", change.origin().value());
            } else if (event instanceof RoomEvent.Broadcast broadcast) {
                json.writeStringField("k", BROADCAST);
                json.writeStringField("r", broadcast.room().value());
                json.writeStringField("e", broadcast.name());
                json.writeStringField("x", broadcast.data());
                if (broadcast.except().isPresent()) {
                    json.writeStringField("o", broadcast.except().get().value());
                }
                if (broadcast.sender().isPresent()) {
                    writeUser(json, broadcast.sender().get());
                }
            } else {
                throw new IllegalArgumentException("unknown room event " + event);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    byte[] encodePossibleLoss(String node, RoomName room) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (JsonGenerator json = factory.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("n", node);
            json.writeStringField("k", LOSS);
            json.writeStringField("r", room.value());
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The first bytes of everything {@code node} encodes: a node can tell its own echo by them
     * without decoding it.
     */
    byte[] senderPrefix(String node) {
        try {
            return ("{\"n\":" + mapper.writeValueAsString(node) + ",").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean startsWith(byte[] message, byte[] prefix) {
        return message.length >= prefix.length && Arrays.equals(message, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Reads what {@link #encode} wrote; throws {@link IllegalArgumentException} on anything else. */
    Decoded decode(byte[] bytes) {
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String node = text(root, "n");
        RoomName room = RoomName.of(text(root, "r"));
        String kind = text(root, "k");
        if (CHAT.equals(kind)) {
            JsonNode data = root.get("d");
            ChatMessage message = new ChatMessage(room, number(root, "s"), RequestId.of(text(root, "i")),
                    user(root), new MessageText(text(root, "x")),
                    data == null ? Optional.empty() : Optional.of(new MessageData(data.textValue())),
                    number(root, "t"));
            return new Event(node, new RoomEvent.Posted(message));
        }
        if (TYPING.equals(kind)) {
            return new Event(node, new RoomEvent.Typing(room, user(root), bool(root, "a"),
                    ConnectionId.of(text(root, "o"))));
        }
        if (PRESENCE.equals(kind)) {
            return new Event(node, new RoomEvent.PresenceChanged(room, bool(root, "j"), user(root),
                    (int) number(root, "c"), ConnectionId.of(text(root, "o"))));
        }
        if (BROADCAST.equals(kind)) {
            return new Event(node, new RoomEvent.Broadcast(room, text(root, "e"), text(root, "x"),
                    root.has("o") ? Optional.of(ConnectionId.of(text(root, "o"))) : Optional.empty(),
                    root.has("u") ? Optional.of(user(root)) : Optional.empty()));
        }
        if (LOSS.equals(kind)) {
            return new PossibleLoss(node, room);
        }
        throw new IllegalArgumentException("unknown kind " + kind);
    }

    private static void writeUser(JsonGenerator json, User user) throws IOException {
        json.writeStringField("u", user.id().value());
        json.writeStringField("un", user.name());
        if (user.info().isPresent()) {
            json.writeStringField("ui", user.info().get());
        }
    }

    private static User user(JsonNode root) {
        return new User(UserId.of(text(root, "u")), text(root, "un"),
                root.has("ui") ? Optional.of(text(root, "ui")) : Optional.empty());
    }

    private static String text(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field " + field + " must be a string");
        }
        return value.textValue();
    }

    private static long number(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("field " + field + " must be an integer");
        }
        return value.longValue();
    }

    private static boolean bool(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (value == null || !value.isBoolean()) {
            throw new IllegalArgumentException("field " + field + " must be a boolean");
        }
        return value.booleanValue();
    }
}
