package dev.parley.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An AsyncAPI document of docs/ as the judge of real frames: which of its messages a frame is (by
 * direction, by the field that names a frame's message, and for an answer by the request it
 * answers, as the receive operations' replies say), and whether the frame matches that message's
 * payload schema (JSON Schema draft 7), down into the JSON strings the schema marks
 * {@code contentMediaType: application/json} with a {@code contentSchema} (which draft 7 leaves
 * to the application: the string is decoded and held to it here). One class for every document:
 * {@link #parley()} ({@code /ws}, docs/asyncapi.yaml) and {@link #pusher()} ({@code /app/{key}},
 * docs/asyncapi-pusher.yaml). Thread-safe; each document is read once per test JVM.
 */
final class AsyncApiDocument {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, AsyncApiDocument> LOADED = new ConcurrentHashMap<>();

    /**
     * How a protocol's frames say which message they are ({@code discriminator}: a field whose
     * schema in each payload is a {@code const} or a pattern), and how an answer names its
     * request ({@code requestId} in the request, {@code replyTo} in the answer; null when the
     * protocol has no such thing).
     */
    record Framing(String discriminator, String requestId, String replyTo) {
    }

    /** One message of the document: its key under {@code components.messages}, and where its payload schema is. */
    private record Message(String name, String payloadPointer, Schema discriminator, Schema schema) {
    }

    private final String name;
    private final Path path;
    private final Framing framing;
    private final String iri;
    private final JsonNode document;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();
    private final Map<String, Message> clientMessages = new LinkedHashMap<>();
    private final Map<String, Message> serverMessages = new LinkedHashMap<>();
    private final Map<Message, List<Message>> replies = new LinkedHashMap<>();

    private AsyncApiDocument(String file, Framing framing) {
        this.name = "docs/" + file;
        this.path = locate(file);
        this.framing = framing;
        // The document is registered under this address; nothing is ever fetched from it.
        this.iri = "https://parley.invalid/" + file;
        try {
            document = new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
            String asJson = JSON.writeValueAsString(document);
            // Draft 7, but quiet about the document's own fields (asyncapi, info, channels...),
            // which are no schema keywords; ajv in strict mode guards the schemas' keywords.
            Dialect draft7 = Dialect.builder(Dialects.getDraft7())
                    .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword))
                    .build();
            registry = SchemaRegistry.withDefaultDialect(draft7, registry -> registry.schemas(Map.of(iri, asJson)));
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
            List<Message> answers = messages(operation.path("reply").path("messages"));
            answers.forEach(reply -> serverMessages.put(reply.name(), reply));
            messages.forEach(request -> replies.put(request, answers));
        }
    }

    /** docs/asyncapi.yaml, Parley's own protocol on {@code /ws}: {@code type}, {@code id} and {@code replyTo}. */
    static AsyncApiDocument parley() {
        return LOADED.computeIfAbsent("asyncapi.yaml",
                file -> new AsyncApiDocument(file, new Framing("type", "id", "replyTo")));
    }

    /** docs/asyncapi-pusher.yaml, the Pusher protocol 7 front door: frames name their {@code event}, nothing answers by id. */
    static AsyncApiDocument pusher() {
        return LOADED.computeIfAbsent("asyncapi-pusher.yaml",
                file -> new AsyncApiDocument(file, new Framing("event", null, null)));
    }

    /** The file in the repository (the one source, not the copy packed on the classpath). */
    Path path() {
        return path;
    }

    /** Its name for people: {@code docs/<file>}. */
    String name() {
        return name;
    }

    Framing framing() {
        return framing;
    }

    /** What is wrong with a frame a client sends, against the messages its discriminator names; empty when nothing. */
    List<String> clientViolations(String text) {
        JsonNode frame = parse(text);
        return frame == null ? List.of("not JSON") : violations(frame, clientMessages.values(), "client");
    }

    /**
     * What is wrong with a frame the server sends; {@code requestType} is the discriminator of
     * the request whose id the frame's reply field names, when the client knows it (null
     * otherwise).
     */
    List<String> serverViolations(String text, String requestType) {
        JsonNode frame = parse(text);
        if (frame == null) {
            return List.of("not JSON");
        }
        if (requestType != null && framing.replyTo() != null && frame.has(framing.replyTo())) {
            Set<Message> answers = new LinkedHashSet<>();
            for (Message request : clientMessages.values()) {
                if (names(request, TextNode.valueOf(requestType))) {
                    answers.addAll(replies.getOrDefault(request, List.of()));
                }
            }
            if (!answers.isEmpty()) {
                return violations(frame, answers, "answer to " + requestType);
            }
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

    private static boolean names(Message message, JsonNode value) {
        return value.isTextual() && message.discriminator().validate(value).isEmpty();
    }

    /** Nothing when one of the messages the frame's discriminator names accepts it; otherwise every such message's complaints. */
    private List<String> violations(JsonNode frame, Iterable<Message> messages, String direction) {
        JsonNode value = frame.path(framing.discriminator());
        List<String> problems = new ArrayList<>();
        for (Message message : messages) {
            if (!names(message, value)) {
                continue;
            }
            List<String> errors = new ArrayList<>();
            message.schema().validate(frame).forEach(error -> errors.add(error.toString()));
            if (errors.isEmpty()) {
                errors.addAll(contentViolations(message.payloadPointer(), frame, ""));
            }
            if (errors.isEmpty()) {
                return List.of();
            }
            errors.forEach(error -> problems.add(message.name() + " " + error));
        }
        if (problems.isEmpty()) {
            problems.add("no " + direction + " message has the " + framing.discriminator() + " " + value);
        }
        return problems;
    }

    /**
     * What is wrong inside the JSON strings of {@code instance}, which the schema at
     * {@code pointer} took: wherever the schema says {@code contentMediaType: application/json}
     * with a {@code contentSchema}, the string must decode and match it. The schema is followed
     * where the instance goes: {@code $ref}, properties, items, every branch of allOf, and the
     * branches of anyOf / oneOf / if-then-else the instance takes.
     */
    private List<String> contentViolations(String schemaPointer, JsonNode instance, String at) {
        String pointer = schemaPointer;
        JsonNode schema = document.at(pointer);
        while (schema.has("$ref")) {
            pointer = schema.get("$ref").asText().substring(1);
            schema = document.at(pointer);
        }
        return resolvedContentViolations(pointer, schema, instance, at);
    }

    private List<String> resolvedContentViolations(String pointer, JsonNode schema, JsonNode instance, String at) {
        if (!schema.isObject()) {
            return List.of();
        }
        List<String> errors = new ArrayList<>();
        if (schema.path("contentMediaType").asText().equals("application/json") && schema.has("contentSchema")
                && instance.isTextual()) {
            String where = at.isEmpty() ? "/" : at;
            JsonNode decoded = parse(instance.textValue());
            if (decoded == null) {
                return List.of(where + ": not a JSON string");
            }
            schema(pointer + "/contentSchema").validate(decoded)
                    .forEach(error -> errors.add(where + " (decoded) " + error));
            if (errors.isEmpty()) {
                errors.addAll(contentViolations(pointer + "/contentSchema", decoded, at + "(decoded)"));
            }
        }
        if (schema.has("properties") && instance.isObject()) {
            instance.fields().forEachRemaining(field -> {
                if (schema.path("properties").has(field.getKey())) {
                    errors.addAll(contentViolations(pointer + "/properties/" + escape(field.getKey()), field.getValue(),
                            at + "/" + field.getKey()));
                }
            });
        }
        if (schema.has("items") && schema.get("items").isObject() && instance.isArray()) {
            for (int i = 0; i < instance.size(); i++) {
                errors.addAll(contentViolations(pointer + "/items", instance.get(i), at + "/" + i));
            }
        }
        for (int i = 0; i < schema.path("allOf").size(); i++) {
            errors.addAll(contentViolations(pointer + "/allOf/" + i, instance, at));
        }
        for (String keyword : List.of("anyOf", "oneOf")) {
            for (int i = 0; i < schema.path(keyword).size(); i++) {
                String branch = pointer + "/" + keyword + "/" + i;
                if (schema(branch).validate(instance).isEmpty()) {
                    errors.addAll(contentViolations(branch, instance, at));
                }
            }
        }
        if (schema.has("if")) {
            String next = schema(pointer + "/if").validate(instance).isEmpty() ? "/then" : "/else";
            if (schema.has(next.substring(1))) {
                errors.addAll(contentViolations(pointer + next, instance, at));
            }
        }
        return errors;
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(iri + "#" + p)));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** The messages a list of {@code $ref}s names, each followed through the channel to components. */
    private List<Message> messages(JsonNode refs) {
        List<Message> messages = new ArrayList<>();
        for (JsonNode ref : refs) {
            String pointer = ref.path("$ref").asText().substring(1);
            JsonNode message = document.at(pointer);
            while (message.has("$ref")) {
                pointer = message.get("$ref").asText().substring(1);
                message = document.at(pointer);
            }
            String payloadPointer = pointer + "/payload";
            JsonNode payload = message.path("payload");
            while (payload.has("$ref")) {
                payloadPointer = payload.get("$ref").asText().substring(1);
                payload = document.at(payloadPointer);
            }
            if (!payload.path("properties").has(framing.discriminator())) {
                throw new IllegalStateException("no " + framing.discriminator() + " in the payload of " + ref + " in "
                        + name);
            }
            messages.add(new Message(pointer.substring(pointer.lastIndexOf('/') + 1), payloadPointer,
                    schema(payloadPointer + "/properties/" + escape(framing.discriminator())),
                    schema(pointer + "/payload")));
        }
        return messages;
    }

    /** docs/{@code file} above the working directory (the module's, under Maven). */
    private static Path locate(String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("docs/" + file + " not found above " + Path.of("").toAbsolutePath());
    }
}
