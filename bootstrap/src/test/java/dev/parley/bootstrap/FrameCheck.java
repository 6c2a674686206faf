package dev.parley.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one hook of the end-to-end tests' clients ({@link TestClient}, {@link RawWebSocket}): every
 * frame they send or receive is held against docs/asyncapi.yaml ({@link AsyncApiDocument}). It
 * remembers the type of each request id sent, so that an answer is judged against the answers
 * its request may get. Thread-safe: frames arrive on the client's reading thread.
 */
final class FrameCheck {
    private final Map<String, String> requestTypes = new ConcurrentHashMap<>();

    /** A frame the test means to be valid: fails at once, in the test's thread, unless the document describes it. */
    void sending(String text) {
        List<String> violations = AsyncApiDocument.get().clientViolations(text);
        if (!violations.isEmpty()) {
            throw new AssertionError("this frame does not match docs/asyncapi.yaml: " + abbreviate(text)
                    + "\n  " + String.join("\n  ", violations)
                    + "\n(send a frame that is meant to be invalid with sendRaw)");
        }
        remember(text);
    }

    /** A frame that may be meant to be invalid (bad JSON, an unknown type, over a limit): not judged. */
    void sendingRaw(String text) {
        remember(text);
    }

    /** A frame from the server: why it does not match the document, if it does not. */
    Optional<String> received(String text) {
        String requestType = null;
        try {
            String replyTo = TestClient.JSON.readTree(text).path("replyTo").textValue();
            requestType = replyTo == null ? null : requestTypes.get(replyTo);
        } catch (JsonProcessingException notJson) {
            // judged below
        }
        List<String> violations = AsyncApiDocument.get().serverViolations(text, requestType);
        return violations.isEmpty() ? Optional.empty()
                : Optional.of("the server sent a frame that does not match docs/asyncapi.yaml: " + abbreviate(text)
                        + "\n  " + String.join("\n  ", violations));
    }

    private void remember(String text) {
        try {
            JsonNode frame = TestClient.JSON.readTree(text);
            String id = frame.path("id").textValue();
            String type = frame.path("type").textValue();
            if (id != null && type != null) {
                requestTypes.put(id, type);
            }
        } catch (JsonProcessingException notJson) {
            // nothing to answer by id
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "... (" + text.length() + " chars)";
    }
}
