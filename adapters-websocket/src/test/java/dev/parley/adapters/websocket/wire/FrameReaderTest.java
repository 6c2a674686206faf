package dev.parley.adapters.websocket.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
    private static final int LIMIT = 1024;

    private final FrameReader reader = new FrameReader(LIMIT);
    private final Heard heard = new Heard();

    @Test
    void given_a_masked_text_frame_when_read_then_its_text_is_unmasked() {
        read(frame(true, FrameReader.TEXT, "héllo"));

        assertThat(heard.events).containsExactly("text:héllo");
    }

    @Test
    void given_the_rfc_example_frame_when_read_then_hello() {
        // RFC 6455 section 5.7: a single-frame masked text message.
        read(new byte[] {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d, 0x51, 0x58});

        assertThat(heard.events).containsExactly("text:Hello");
    }

    @Test
    void given_frames_arriving_a_byte_at_a_time_when_read_then_each_message_once_whole() {
        byte[] bytes = concat(frame(true, FrameReader.TEXT, "one"), frame(true, FrameReader.TEXT, "x".repeat(300)));
        ByteBuffer buffer = ByteBuffer.allocate(2 * (LIMIT + FrameReader.MAX_HEADER));
        for (byte b : bytes) {
            buffer.clear();
            reader.restoreIncomplete(buffer);
            buffer.put(b).flip();
            reader.read(buffer, heard);
        }

        assertThat(heard.events).containsExactly("text:one", "text:" + "x".repeat(300));
    }

    @Test
    void given_a_fragmented_message_with_a_ping_between_when_read_then_the_ping_then_the_whole_text() {
        read(concat(frame(false, FrameReader.TEXT, "par"), frame(true, FrameReader.PING, "?"),
                frame(false, FrameReader.CONTINUATION, "l"), frame(true, FrameReader.CONTINUATION, "ey")));

        assertThat(heard.events).containsExactly("ping:?", "text:parley");
    }

    @Test
    void given_a_character_split_between_fragments_when_read_then_it_is_decoded_whole() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        read(concat(frame(false, FrameReader.TEXT, new byte[] {euro[0]}),
                frame(true, FrameReader.CONTINUATION, new byte[] {euro[1], euro[2]})));

        assertThat(heard.events).containsExactly("text:€");
    }

    @Test
    void given_an_unmasked_frame_when_read_then_protocol_error_and_nothing_more() {
        byte[] unmasked = {(byte) 0x81, 0x02, 'h', 'i'};
        read(concat(unmasked, frame(true, FrameReader.TEXT, "after")));

        assertThat(heard.events).containsExactly("error:1002");
        assertThat(reader.isDone()).isTrue();
    }

    @Test
    void given_reserved_bits_or_an_unknown_opcode_when_read_then_protocol_error() {
        byte[] reserved = frame(true, FrameReader.TEXT, "x");
        reserved[0] |= 0x40;
        read(reserved);
        FrameReader other = new FrameReader(LIMIT);
        Heard otherHeard = new Heard();
        other.read(ByteBuffer.wrap(frame(true, 0x3, "x")), otherHeard);

        assertThat(heard.events).containsExactly("error:1002");
        assertThat(otherHeard.events).containsExactly("error:1002");
    }

    @Test
    void given_a_frame_over_the_limit_when_its_header_is_read_then_too_big_before_the_payload_comes() {
        byte[] header = java.util.Arrays.copyOf(frame(true, FrameReader.TEXT, "x".repeat(LIMIT + 1)), 8);
        read(header);

        assertThat(heard.events).containsExactly("error:1009");
    }

    @Test
    void given_fragments_adding_up_to_more_than_the_limit_when_read_then_too_big() {
        String half = "x".repeat(LIMIT / 2 + 1);
        read(concat(frame(false, FrameReader.TEXT, half), frame(true, FrameReader.CONTINUATION, half)));

        assertThat(heard.events).containsExactly("error:1009");
    }

    @Test
    void given_invalid_utf8_when_read_then_invalid_data() {
        read(frame(true, FrameReader.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28}));

        assertThat(heard.events).containsExactly("error:1007");
    }

    @Test
    void given_a_continuation_without_a_message_or_a_new_message_inside_one_when_read_then_protocol_error() {
        read(frame(true, FrameReader.CONTINUATION, "x"));
        FrameReader other = new FrameReader(LIMIT);
        Heard otherHeard = new Heard();
        other.read(ByteBuffer.wrap(concat(frame(false, FrameReader.TEXT, "a"), frame(true, FrameReader.TEXT, "b"))),
                otherHeard);

        assertThat(heard.events).containsExactly("error:1002");
        assertThat(otherHeard.events).containsExactly("error:1002");
    }

    @Test
    void given_a_fragmented_or_long_control_frame_when_read_then_protocol_error() {
        read(frame(false, FrameReader.PING, "x"));
        FrameReader other = new FrameReader(LIMIT);
        Heard otherHeard = new Heard();
        other.read(ByteBuffer.wrap(frame(true, FrameReader.PING, "x".repeat(126))), otherHeard);

        assertThat(heard.events).containsExactly("error:1002");
        assertThat(otherHeard.events).containsExactly("error:1002");
    }

    @Test
    void given_close_frames_when_read_then_code_and_reason_or_1005_and_bad_codes_refused() {
        assertThat(closeOf(new byte[0])).containsExactly("close:1005:");
        assertThat(closeOf(closePayload(1000, "bye"))).containsExactly("close:1000:bye");
        assertThat(closeOf(closePayload(4001, ""))).containsExactly("close:4001:");
        assertThat(closeOf(new byte[] {0x03})).containsExactly("error:1002");
        assertThat(closeOf(closePayload(1005, ""))).containsExactly("error:1002");
        assertThat(closeOf(closePayload(999, ""))).containsExactly("error:1002");
        assertThat(closeOf(concat(closePayload(1000, ""), new byte[] {(byte) 0xFF}))).containsExactly("error:1007");
    }

    @Test
    void given_a_close_frame_when_frames_follow_then_they_are_not_read() {
        read(concat(frame(true, FrameReader.CLOSE, closePayload(1000, "")), frame(true, FrameReader.TEXT, "late")));

        assertThat(heard.events).containsExactly("close:1000:");
        assertThat(reader.isDone()).isTrue();
    }

    @Test
    void given_binary_and_pong_frames_when_read_then_heard_as_such() {
        read(concat(frame(true, FrameReader.BINARY, new byte[] {1, 2}), frame(true, FrameReader.PONG, "")));

        assertThat(heard.events).containsExactly("binary", "pong");
    }

    @Test
    void given_sixteen_and_sixty_four_bit_lengths_when_read_then_the_whole_payload() {
        FrameReader large = new FrameReader(100_000);
        Heard largeHeard = new Heard();
        String medium = "m".repeat(70_000 - 1);
        byte[] longLength = frame(true, FrameReader.TEXT, "y".repeat(200));
        // The same frame with its length in the 64-bit form, which a client may use for any length.
        byte[] widened = concat(new byte[] {longLength[0], (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 0, (byte) 200},
                java.util.Arrays.copyOfRange(longLength, 4, longLength.length));
        large.read(ByteBuffer.wrap(concat(frame(true, FrameReader.TEXT, medium), widened)), largeHeard);

        assertThat(largeHeard.events).containsExactly("text:" + medium, "text:" + "y".repeat(200));
    }

    private List<String> closeOf(byte[] payload) {
        FrameReader closing = new FrameReader(LIMIT);
        Heard closingHeard = new Heard();
        closing.read(ByteBuffer.wrap(frame(true, FrameReader.CLOSE, payload)), closingHeard);
        return closingHeard.events;
    }

    private void read(byte[] bytes) {
        reader.read(ByteBuffer.wrap(bytes), heard);
    }

    private static byte[] closePayload(int code, String reason) {
        return concat(new byte[] {(byte) (code >> 8), (byte) code}, reason.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] frame(boolean fin, int opcode, String text) {
        return frame(fin, opcode, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A client frame as a browser sends it: masked, with the shortest length form. */
    private static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = {0x12, 0x34, 0x56, 0x78};
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static final class Heard implements FrameReader.Listener {
        final List<String> events = new ArrayList<>();

        @Override
        public void onText(String text) {
            events.add("text:" + text);
        }

        @Override
        public void onBinary() {
            events.add("binary");
        }

        @Override
        public void onPing(ByteBuffer payload) {
            events.add("ping:" + StandardCharsets.UTF_8.decode(payload));
        }

        @Override
        public void onPong() {
            events.add("pong");
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }

        @Override
        public void onError(int code, String reason) {
            events.add("error:" + code);
        }
    }
}
