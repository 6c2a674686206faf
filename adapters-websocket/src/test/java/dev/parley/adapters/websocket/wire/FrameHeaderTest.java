package dev.parley.adapters.websocket.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameHeaderTest {

    @Test
    void given_payload_lengths_when_framing_then_the_shortest_of_the_three_length_forms() {
        assertThat(bytes(FrameHeader.of(FrameReader.TEXT, 125))).containsExactly(0x81, 125);
        assertThat(bytes(FrameHeader.of(FrameReader.TEXT, 126))).containsExactly(0x81, 126, 0, 126);
        assertThat(bytes(FrameHeader.of(FrameReader.TEXT, 65_535))).containsExactly(0x81, 126, 0xFF, 0xFF);
        assertThat(bytes(FrameHeader.of(FrameReader.TEXT, 65_536))).containsExactly(0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0);
        assertThat(bytes(FrameHeader.of(FrameReader.CLOSE, 2))).containsExactly(0x88, 2);
    }

    @Test
    void given_a_long_reason_when_building_a_close_payload_then_cut_to_125_bytes_without_splitting_a_character() {
        ByteBuffer payload = FrameHeader.closePayload(4000, "é".repeat(100));

        assertThat(payload.remaining()).isEqualTo(2 + 122);
        assertThat(payload.getShort() & 0xFFFF).isEqualTo(4000);
        assertThat(StandardCharsets.UTF_8.decode(payload).toString()).isEqualTo("é".repeat(61));
    }

    @Test
    void given_a_payload_when_building_a_shared_text_frame_then_its_header_then_the_payload_on_or_off_heap() {
        byte[] payload = "x".repeat(200).getBytes(StandardCharsets.UTF_8);
        for (boolean offHeap : new boolean[] {false, true}) {
            ByteBuffer frame = WireSocket.textFrame(payload, offHeap);

            assertThat(frame.isDirect()).isEqualTo(offHeap);
            assertThat(frame.isReadOnly()).isTrue();
            assertThat(frame.remaining()).isEqualTo(4 + 200);
            assertThat(bytes(frame.duplicate().limit(4))).containsExactly(0x81, 126, 0, 200);
            assertThat(frame.get(4 + 199)).isEqualTo((byte) 'x');
        }
    }

    private static int[] bytes(ByteBuffer buffer) {
        int[] bytes = new int[buffer.remaining()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buffer.get(buffer.position() + i) & 0xFF;
        }
        return bytes;
    }
}
