package dev.parley.adapters.websocket.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Client frames (RFC 6455 section 5) as their bytes arrive: masked, fragmented or not, with
 * control frames between fragments. A message or a frame over the size limit, a bad header or
 * invalid UTF-8 ends the reading with the close code the RFC gives for it. Between calls it keeps
 * only the bytes of a frame not complete yet and of a fragmented message under way. Not
 * thread-safe: its socket's IO thread reads.
 */
final class FrameReader {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_DATA = 1007;
    static final int TOO_BIG = 1009;
    /** What a close frame without a code reads as (RFC 6455 section 7.1.5). */
    static final int NO_STATUS = 1005;

    /** What the frames said, in order. Called on the reading thread; payloads are valid during the call only. */
    interface Listener {
        void onText(String text);

        void onBinary();

        void onPing(ByteBuffer payload);

        void onPong();

        void onClose(int code, String reason);

        /** The peer broke the protocol: close with {@code code}; nothing more is read. */
        void onError(int code, String reason);
    }

    /** Each IO thread's decoder: CharsetDecoder keeps state, so it is not shared between threads. */
    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    private final int maxMessageBytes;
    /** The start of a frame whose end has not come yet; null when none. */
    private byte[] incomplete;
    /** A fragmented message under way: its bytes so far and its kind; null when none. */
    private byte[] message;
    private int messageLength;
    private int messageOpcode;
    private boolean done;

    FrameReader(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The largest a frame's header can be: 2 bytes, 8 of length, 4 of mask. */
    static final int MAX_HEADER = 14;

    /** Puts the kept bytes into {@code buffer} (in write mode), ahead of what is read next. */
    void restoreIncomplete(ByteBuffer buffer) {
        if (incomplete != null) {
            buffer.put(incomplete);
            incomplete = null;
        }
    }

    /** True once a close frame or an error ended the reading. */
    boolean isDone() {
        return done;
    }

    /**
     * Reads every complete frame in {@code bytes} (read mode) and keeps the rest for later. The
     * payloads are unmasked in place.
     */
    void read(ByteBuffer bytes, Listener listener) {
        while (!done && bytes.remaining() >= 2) {
            int start = bytes.position();
            int first = bytes.get(start) & 0xFF;
            int second = bytes.get(start + 1) & 0xFF;
            boolean fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            boolean masked = (second & 0x80) != 0;
            int lengthCode = second & 0x7F;
            int headerLength = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + (masked ? 4 : 0);
            if ((first & 0x70) != 0) {
                fail(listener, PROTOCOL_ERROR, "reserved bits set without an extension");
                return;
            }
            if (!masked) {
                fail(listener, PROTOCOL_ERROR, "a client frame must be masked");
                return;
            }
            if (bytes.remaining() < headerLength) {
                break;
            }
            long length = lengthCode == 126 ? bytes.getShort(start + 2) & 0xFFFF
                    : lengthCode == 127 ? bytes.getLong(start + 2) : lengthCode;
            boolean control = (opcode & 0x8) != 0;
            if (control && (!fin || length > 125)) {
                fail(listener, PROTOCOL_ERROR, "a control frame must be whole and at most 125 bytes");
                return;
            }
            if (length < 0 || length > maxMessageBytes) {
                fail(listener, TOO_BIG, "frame too large");
                return;
            }
            if (bytes.remaining() < headerLength + length) {
                break;
            }
            int payloadStart = start + headerLength;
            unmask(bytes, payloadStart, (int) length, start + headerLength - 4);
            ByteBuffer payload = bytes.duplicate();
            payload.position(payloadStart).limit(payloadStart + (int) length);
            bytes.position(payloadStart + (int) length);
            frame(fin, opcode, payload, listener);
        }
        if (!done && bytes.hasRemaining()) {
            incomplete = new byte[bytes.remaining()];
            bytes.get(incomplete);
        }
    }

    private static void unmask(ByteBuffer bytes, int from, int length, int maskAt) {
        byte[] mask = {bytes.get(maskAt), bytes.get(maskAt + 1), bytes.get(maskAt + 2), bytes.get(maskAt + 3)};
        for (int i = 0; i < length; i++) {
            bytes.put(from + i, (byte) (bytes.get(from + i) ^ mask[i & 3]));
        }
    }

    private void frame(boolean fin, int opcode, ByteBuffer payload, Listener listener) {
        switch (opcode) {
            case TEXT, BINARY -> {
                if (message != null) {
                    fail(listener, PROTOCOL_ERROR, "a new message began before the last one ended");
                } else if (fin) {
                    whole(opcode, payload, listener);
                } else {
                    messageOpcode = opcode;
                    message = new byte[Math.max(payload.remaining(), 256)];
                    messageLength = 0;
                    append(payload);
                }
            }
            case CONTINUATION -> {
                if (message == null) {
                    fail(listener, PROTOCOL_ERROR, "a continuation frame without a message");
                } else if (messageLength + payload.remaining() > maxMessageBytes) {
                    fail(listener, TOO_BIG, "message too large");
                } else {
                    append(payload);
                    if (fin) {
                        ByteBuffer whole = ByteBuffer.wrap(message, 0, messageLength);
                        int kind = messageOpcode;
                        message = null;
                        whole(kind, whole, listener);
                    }
                }
            }
            case PING -> listener.onPing(payload);
            case PONG -> listener.onPong();
            case CLOSE -> close(payload, listener);
            default -> fail(listener, PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
    }

    private void append(ByteBuffer payload) {
        int needed = messageLength + payload.remaining();
        if (needed > message.length) {
            message = Arrays.copyOf(message, Math.max(needed, Math.min(message.length * 2, maxMessageBytes)));
        }
        payload.get(message, messageLength, payload.remaining());
        messageLength = needed;
    }

    private void whole(int opcode, ByteBuffer payload, Listener listener) {
        if (opcode == BINARY) {
            listener.onBinary();
            return;
        }
        String text = utf8(payload);
        if (text == null) {
            fail(listener, INVALID_DATA, "text is not valid UTF-8");
        } else {
            listener.onText(text);
        }
    }

    private void close(ByteBuffer payload, Listener listener) {
        done = true;
        if (payload.remaining() == 0) {
            listener.onClose(NO_STATUS, "");
            return;
        }
        if (payload.remaining() == 1) {
            listener.onError(PROTOCOL_ERROR, "a close frame's code takes two bytes");
            return;
        }
        int code = payload.getShort() & 0xFFFF;
        if (!isSendable(code)) {
            listener.onError(PROTOCOL_ERROR, "close code " + code + " cannot be sent");
            return;
        }
        String reason = utf8(payload);
        if (reason == null) {
            listener.onError(INVALID_DATA, "close reason is not valid UTF-8");
            return;
        }
        listener.onClose(code, reason);
    }

    /** The codes an endpoint may put in a close frame (RFC 6455 section 7.4). */
    static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static String utf8(ByteBuffer bytes) {
        CharsetDecoder decoder = UTF8.get().reset();
        try {
            CharBuffer chars = decoder.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void fail(Listener listener, int code, String reason) {
        done = true;
        incomplete = null;
        message = null;
        listener.onError(code, reason);
    }
}
