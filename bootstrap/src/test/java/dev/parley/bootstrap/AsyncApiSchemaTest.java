package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.adapters.websocket.frames.FrameDecoder;
import dev.parley.adapters.websocket.frames.Inbound;
import dev.parley.adapters.websocket.frames.Json;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Limits;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client schemas of docs/asyncapi.yaml against the server's own decoder: frames it refuses
 * with {@code bad_request} are refused by the schema too, and frames it takes are taken. What a
 * schema cannot tell is left out on purpose, and written down here: {@code 10.0} or {@code 1e1}
 * where an integer is due (the same number to JSON Schema), {@code data} holding NUL, and the
 * limits of size and depth ({@code too_large}, not {@code bad_request}).
 */
class AsyncApiSchemaTest {
    private static final FrameDecoder DECODER = new FrameDecoder(new Json(Limits.DEFAULTS), Limits.DEFAULTS);
    private static final String ROOM_129 = "r".repeat(129);
    private static final String ID_65 = "i".repeat(65);
    private static final String EPOCH_65 = "e".repeat(65);

    static List<String> refusedFrames() {
        return List.of(
                // the envelope
                "{\"type\":\"join_room\",\"payload\":{\"room\":\"lobby\"}}",
                "{\"type\":\"join_room\",\"id\":null,\"payload\":{\"room\":\"lobby\"}}",
                "{\"type\":\"ping\",\"id\":\"has space\"}",
                "{\"type\":\"ping\",\"id\":\"\"}",
                "{\"type\":\"ping\",\"id\":\"" + ID_65 + "\"}",
                "{\"type\":\"ping\",\"id\":5}",
                "{\"type\":\"typing\",\"id\":\"not valid!\",\"payload\":{\"room\":\"lobby\",\"active\":true}}",
                "{\"type\":\"join_room\",\"id\":\"j\"}",
                "{\"type\":\"leave_room\",\"id\":\"l\",\"payload\":\"lobby\"}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":[1]}",
                // room names
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"bad room\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"" + ROOM_129 + "\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"private:\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"user:\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"caf\u00e9\"}}",
                "{\"type\":\"leave_room\",\"id\":\"l\",\"payload\":{\"room\":true}}",
                "{\"type\":\"presence\",\"id\":\"p\",\"payload\":{}}",
                // positions
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":\"3\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":\"3\",\"epoch\":\"e\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":-1,\"epoch\":\"e\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":9007199254740993,\"epoch\":\"e\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":3.5,\"epoch\":\"e\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":1e400,\"epoch\":\"e\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":1}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":1,\"epoch\":\"\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":1,\"epoch\":\"" + EPOCH_65 + "\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":1,\"epoch\":42}}}",
                // chat
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":5}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\" \\u0007 \\r\\n \\u00a0\\u3000 \"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"broken \\ud800 text\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"\\udc00\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"hi\",\"data\":\"x\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"hi\",\"data\":[1,2]}}",
                // typing
                "{\"type\":\"typing\",\"payload\":{\"room\":\"lobby\",\"active\":\"true\"}}",
                "{\"type\":\"typing\",\"payload\":{\"room\":\"lobby\",\"active\":1}}",
                "{\"type\":\"typing\",\"payload\":{\"room\":\"lobby\"}}",
                // history
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"limit\":0}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"limit\":101}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"limit\":\"10\"}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"limit\":10.5}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"after\":-1}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"before\":\"5\"}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"after\":18446744073709551616}}");
    }

    @ParameterizedTest
    @MethodSource("refusedFrames")
    void given_a_frame_the_decoder_refuses_as_bad_request_when_checked_against_the_document_then_its_schema_refuses_it(
            String frame) {
        Inbound decoded = DECODER.decode(frame, ConnectionId.random());
        assertThat(decoded).as("the server's verdict on %s", frame).isInstanceOf(Inbound.Invalid.class);
        assertThat(((Inbound.Invalid) decoded).code()).as("the server's verdict on %s", frame)
                .isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(AsyncApiDocument.parley().clientViolations(frame)).as("the schema's verdict on %s", frame).isNotEmpty();
    }

    static List<String> takenFrames() {
        return List.of(
                // null means absent; unknown fields are ignored, at the top and in the payload
                "{\"type\":\"typing\",\"payload\":{\"room\":\"lobby\",\"active\":true}}",
                "{\"type\":\"typing\",\"id\":null,\"payload\":{\"room\":\"lobby\",\"active\":false}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":null}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"after\":null,\"before\":null,\"limit\":null}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"hi\",\"data\":null}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"from\":{\"id\":\"mallory\"},\"payload\":{\"room\":\"lobby\",\"text\":\"hi\",\"seq\":7}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"lobby\",\"since\":{\"seq\":1,\"epoch\":\"e\",\"x\":1}}}",
                // ping's payload is not read
                "{\"type\":\"ping\",\"id\":\"p\"}",
                "{\"type\":\"ping\",\"id\":\"p\",\"payload\":5}",
                "{\"type\":\"ping\",\"id\":\"p\",\"payload\":{\"anything\":[1,2,{\"x\":null}]}}",
                // the boundaries
                "{\"type\":\"ping\",\"id\":\"aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-aZ0_-abcd\"}",
                "{\"type\":\"ping\",\"id\":\"5b0e7c9e-2f1a-4c39-9d55-0c8c3f2a9b61\"}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-Az09_.:-\"}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"private:x\",\"since\":{\"seq\":9007199254740992,\"epoch\":\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\"}}}",
                "{\"type\":\"join_room\",\"id\":\"j\",\"payload\":{\"room\":\"user:alice\",\"since\":{\"seq\":0,\"epoch\":\"e\"}}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"after\":0,\"before\":9007199254740992,\"limit\":100}}",
                "{\"type\":\"history\",\"id\":\"h\",\"payload\":{\"room\":\"lobby\",\"limit\":1}}",
                // text that cleaning keeps something of
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"a\\u0007b\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\" \\t smile \\ud83d\\ude00 \\n\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"\\ufeff\"}}",
                "{\"type\":\"chat\",\"id\":\"c\",\"payload\":{\"room\":\"lobby\",\"text\":\"x\",\"data\":{\"a\":{\"b\":[1,\"two\",null]}}}}");
    }

    @ParameterizedTest
    @MethodSource("takenFrames")
    void given_a_frame_the_decoder_takes_when_checked_against_the_document_then_its_schema_takes_it(String frame) {
        assertThat(DECODER.decode(frame, ConnectionId.random())).as("the server's verdict on %s", frame)
                .isNotInstanceOf(Inbound.Invalid.class);
        assertThat(AsyncApiDocument.parley().clientViolations(frame)).as("the schema's verdict on %s", frame).isEmpty();
    }
}
