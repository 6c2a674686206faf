package dev.parley.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * docs/asyncapi.yaml as the judge of real frames: which of its messages a frame is (by direction,
 * by {@code type}, and for an answer by the type of the request it answers, as the receive
 * operations' replies say), and whether the frame matches that message's payload schema
 * (JSON Schema draft 7). Thread-safe; the document is read once per test JVM.
 */
final class AsyncApiDocument {
    /** The one source: the file in the repository, not the copy packed on the classpath. */
    static final Path PATH = locate();
    // The document is registered under this address; nothing is ever fetched from it.
    private static final String IRI = "https://parley.invalid/asyncapi.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AsyncApiDocument INSTANCE = new AsyncApiDocument(PATH);

    /** One message of the document: its key under {@code components.messages}, its frame type, its payload schema. */
    record Message(String name, String type, Schema schema) {
    }

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Message> clientMessages = new LinkedHashMap<>();
    private final Map<String, Message> serverMessages = new LinkedHashMap<>();
    private final Map<String, List<Message>> answers = new LinkedHashMap<>();

    private AsyncApiDocument(Path path) {
        try {
            document = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
            String asJson = JSON.writeValueAsString(document);
            // Draft 7, but quiet about the document's own fields (asyncapi, info, channels...),
            // which are no schema keywords; ajv in strict mode guards the schemas' keywords.
            Dialect draft7 = Dialect.builder(Dialects.getDraft7())
                    .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword))
                    .build();
            registry = SchemaRegistry.withDefaultDialect(draft7, registry -> registry.schemas(Map.of(IRI, asJson)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        for (JsonNode operation : document.path("operations")) {
            List<Message> messages = messages(operation.path("messages"));
            if (operation.path("action").asText().equals("send")) {
                messages.forEach(message -> serverMessages.put(message.name(), message));
                continue;
            }
            messages.forEach(message -> clientMessages.put(message.name(), message));
            List<Message> replies = messages(operation.path("reply").path("messages"));
            replies.forEach(reply -> serverMessages.put(reply.name(), reply));
            messages.forEach(request -> answers.put(request.type(), replies));
        }
    }

    static AsyncApiDocument get() {
        return INSTANCE;
    }

    /** What is wrong with a frame a client sends, against the message of its type; empty when nothing. */
    List<String> clientViolations(String text) {
        JsonNode frame = parse(text);
        return frame == null ? List.of("not JSON") : violations(frame, clientMessages.values(), "client");
    }

    /**
     * What is wrong with a frame the server sends; {@code requestType} is the type of the request
     * whose id the frame's {@code replyTo} names, when the client knows it (null otherwise).
     */
    List<String> serverViolations(String text, String requestType) {
        JsonNode frame = parse(text);
        if (frame == null) {
            return List.of("not JSON");
        }
        if (requestType != null && frame.has("replyTo") && answers.containsKey(requestType)) {
            return violations(frame, answers.get(requestType), "answer to " + requestType);
        }
        return violations(frame, serverMessages.values(), "server");
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Nothing when one of the messages of the frame's type accepts it; otherwise every message's complaints. */
    private static List<String> violations(JsonNode frame, Iterable<Message> messages, String direction) {
        String type = frame.path("type").textValue();
        List<String> problems = new ArrayList<>();
        for (Message message : messages) {
            if (!message.type().equals(type)) {
                continue;
            }
            List<Error> errors = message.schema().validate(frame);
            if (errors.isEmpty()) {
                return List.of();
            }
            errors.forEach(error -> problems.add(message.name() + " " + error));
        }
        if (problems.isEmpty()) {
            problems.add("no " + direction + " message has the type " + type);
        }
        return problems;
    }

    /** The messages a list of {@code $ref}s names, each followed through the channel to components. */
    private List<Message> messages(JsonNode refs) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode ref : refs) {
            String pointer = ref.path("$ref").asText();
            JsonNode message = document.at(pointer.substring(1));
            while (message.has("$ref")) {
                pointer = message.get("$ref").asText();
                message = document.at(pointer.substring(1));
            }
            JsonNode payload = message.path("payload");
            while (payload.has("$ref")) {
                payload = document.at(payload.get("$ref").asText().substring(1));
            }
            String type = Objects.requireNonNull(payload.path("properties").path("type").path("const").textValue(),
                    () -> "no type const in the payload of " + ref);
            Schema schema = registry.getSchema(SchemaLocation.of(IRI + "#" + pointer + "/payload"));
            messages.add(new Message(pointer.substring(pointer.lastIndexOf('/') + 1), type, schema));
        }
        return messages;
    }

    /** docs/asyncapi.yaml above the working directory (the module's, under Maven). */
    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("asyncapi.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/asyncapi.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
