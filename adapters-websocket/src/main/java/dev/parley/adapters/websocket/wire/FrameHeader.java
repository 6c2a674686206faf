package dev.parley.adapters.websocket.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Server frames (RFC 6455 section 5.2): unmasked, final, the header sized to the payload. */
final class FrameHeader {
    private FrameHeader() {
    }

    /** The header of a final frame of {@code opcode} with {@code length} payload bytes, ready to read. */
    static ByteBuffer of(int opcode, int length) {
        ByteBuffer header;
        if (length < 126) {
            header = ByteBuffer.allocate(2).put((byte) (0x80 | opcode)).put((byte) length);
        } else if (length <= 0xFFFF) {
            header = ByteBuffer.allocate(4).put((byte) (0x80 | opcode)).put((byte) 126).putShort((short) length);
        } else {
            header = ByteBuffer.allocate(10).put((byte) (0x80 | opcode)).put((byte) 127).putLong(length);
        }
        return header.flip();
    }

    /** A close frame's payload: the code, then the reason cut to what fits in 125 bytes. */
    static ByteBuffer closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, 123);
        while (length > 0 && length < text.length && (text[length] & 0xC0) == 0x80) {
            length--; // never cut a character in two
        }
        return ByteBuffer.allocate(2 + length).putShort((short) code).put(text, 0, length).flip();
    }
}
