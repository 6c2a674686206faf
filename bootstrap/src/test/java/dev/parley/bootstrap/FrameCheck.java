package dev.parley.bootstrap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one hook of the end-to-end tests' clients: every frame they send or receive is held
 * against an AsyncAPI document ({@link AsyncApiDocument}): docs/asyncapi.yaml for the {@code /ws}
 * clients ({@link TestClient}, {@link RawWebSocket}), docs/asyncapi-pusher.yaml for the Pusher
 * one ({@link PusherTestSocket}). Where the protocol answers by request id, it remembers the
 * type of each request id sent, so that an answer is judged against the answers its request may
 * get. Thread-safe: frames arrive on the client's reading thread.
 */
final class FrameCheck {
    private final AsyncApiDocument document;
    private final Map<String, String> requestTypes = new ConcurrentHashMap<>();

    FrameCheck(AsyncApiDocument document) {
        this.document = document;
    }

    /** A frame the test means to be valid: fails at once, in the test's thread, unless the document describes it. */
    void sending(String text) {
        List<String> violations = document.clientViolations(text);
        if (!violations.isEmpty()) {
            throw new AssertionError("this frame does not match " + document.name() + ": " + abbreviate(text)
                    + "\n  " + String.join("\n  ", violations)
                    + "\n(send a frame that is meant to be invalid with the client's raw send)");
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
        String replyField = document.framing().replyTo();
        try {
            String replyTo = replyField == null ? null : TestClient.JSON.readTree(text).path(replyField).textValue();
            requestType = replyTo == null ? null : requestTypes.get(replyTo);
        } catch (JsonProcessingException notJson) {
            // judged below
        }
        List<String> violations = document.serverViolations(text, requestType);
        return violations.isEmpty() ? Optional.empty()
                : Optional.of("the server sent a frame that does not match " + document.name() + ": " + abbreviate(text)
                        + "\n  " + String.join("\n  ", violations));
    }

    private void remember(String text) {
        AsyncApiDocument.Framing framing = document.framing();
        if (framing.requestId() == null) {
            return;
        }
        try {
            JsonNode frame = TestClient.JSON.readTree(text);
            String id = frame.path(framing.requestId()).textValue();
            String type = frame.path(framing.discriminator()).textValue();
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
