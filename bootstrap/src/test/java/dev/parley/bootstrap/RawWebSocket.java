package dev.parley.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * RFC 6455 by hand over a plain socket, for what {@code java.net.http} will not do: it never
 * answers a ping unless told to ({@link #sendPong}), and it sends frames of an exact size and
 * opcode. Client frames are masked, as the RFC requires. Like {@link TestClient}, it holds the
 * text frames it sends with {@link #sendText} and every text frame it reads against
 * docs/asyncapi.yaml ({@link FrameCheck}); {@link #sendFrame} sends anything.
 */
final class RawWebSocket implements AutoCloseable {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final FrameCheck check = new FrameCheck(AsyncApiDocument.parley());

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Upgrades {@code GET /ws?query} on 127.0.0.1; fails unless the server answers 101. */
    static RawWebSocket open(int port, String query, String... extraHeaders) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            RawWebSocket ws = new RawWebSocket(socket);
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            StringBuilder request = new StringBuilder()
                    .append("GET /ws").append(query.isEmpty() ? "" : "?" + query).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\n")
                    .append("Upgrade: websocket\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n")
                    .append("Sec-WebSocket-Version: 13\r\n");
            for (String header : extraHeaders) {
                request.append(header).append("\r\n");
            }
            request.append("\r\n");
            ws.out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            ws.out.flush();
            String head = ws.readHttpHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                socket.close();
                throw new IllegalStateException("upgrade refused: " + head);
            }
            return ws;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHttpHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One frame from the server (servers never mask). */
    record Frame(int opcode, boolean fin, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame; 1005 when it carries none. */
        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        @Override
        public String toString() {
            return "Frame[opcode=" + opcode + ", " + (opcode == TEXT ? text() : payload.length + " bytes") + "]";
        }
    }

    /** Reads the next frame; fails after the client timeout. Null when the server dropped the connection. */
    Frame read() {
        try {
            int b0 = in.read();
            if (b0 < 0) {
                return null;
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] mask = null;
            if ((b1 & 0x80) != 0) {
                mask = in.readNBytes(4);
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length != length) {
                return null;
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
            }
            Frame frame = new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
            if (frame.opcode() == TEXT) {
                check.received(frame.text()).ifPresent(violation -> {
                    throw new AssertionError(violation);
                });
            }
            return frame;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame from the server within " + TestClient.TIMEOUT, e);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads frames until one with this opcode arrives; null when the connection ended first. */
    Frame readUntil(int opcode) {
        while (true) {
            Frame frame = read();
            if (frame == null || frame.opcode() == opcode) {
                return frame;
            }
        }
    }

    /** A text frame that must match docs/asyncapi.yaml; fails at once if it does not. */
    void sendText(String text) {
        check.sending(text);
        sendFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendPong(byte[] payload) {
        sendFrame(PONG, payload);
    }

    /** One final, masked frame. */
    void sendFrame(int opcode, byte[] payload) {
        sendFrame(opcode, true, payload);
    }

    /** One masked frame; {@code fin} false for a fragment that more frames continue. */
    void sendFrame(int opcode, boolean fin, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            long length = payload.length;
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) (length >>> shift) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes as they are, whatever they mean. */
    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setReadTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed anyway
        }
    }
}
