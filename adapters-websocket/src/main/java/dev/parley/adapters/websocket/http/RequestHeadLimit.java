package dev.parley.adapters.websocket.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpServerExchange;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Counts the header bytes of each request head as they arrive on a connection and answers 431
 * once they pass the limit, before Undertow has parsed the request, let alone authenticated
 * it (docs/protocol.md section 7). Undertow's own header limit answers a bare 400 and is kept
 * only as a backstop further out.
 *
 * <p>It watches a connection from its first byte up to the blank line that ends a head, then
 * lets the rest (body, WebSocket frames) pass untouched until {@link #expectHead} re-arms it
 * for the next request of a kept-alive connection. Bytes of a pipelined request that Undertow
 * read ahead are not counted: Undertow's backstop bounds those.
 */
final class RequestHeadLimit extends AbstractStreamSourceConduit<StreamSourceConduit> {
    private static final byte[] TOO_LARGE = ("HTTP/1.1 431 Request Header Fields Too Large\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n"
            + "Content-Length: 38\r\nConnection: close\r\n\r\nrequest headers are over 16 KiB in all\n")
            .getBytes(StandardCharsets.US_ASCII);

    private final StreamConnection connection;
    private final int maxHeaderBytes;
    private boolean watching = true;
    private boolean inRequestLine = true;
    private int lineLength;
    private int headerBytes;

    private RequestHeadLimit(StreamConnection connection, int maxHeaderBytes) {
        super(connection.getSourceChannel().getConduit());
        this.connection = connection;
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** Puts a guard on a connection that has just been accepted, before Undertow takes it. */
    static void guard(StreamConnection connection, int maxHeaderBytes) {
        connection.getSourceChannel().setConduit(new RequestHeadLimit(connection, maxHeaderBytes));
    }

    /**
     * The exchange is complete: unless it switched protocols, the next bytes of its connection
     * are a new head. (Undertow keeps the conduit it was given as the connection's original.)
     */
    static void expectHead(HttpServerExchange done) {
        if (done.getStatusCode() != 101 && done.getConnection() instanceof AbstractServerConnection connection
                && connection.getOriginalSourceConduit() instanceof RequestHeadLimit limit) {
            limit.rearm();
        }
    }

    private void rearm() {
        watching = true;
        inRequestLine = true;
        lineLength = 0;
        headerBytes = 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int read = next.read(dst);
        return read > 0 && watching ? watch(dst, start, read) : read;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        if (!watching) {
            return next.read(dsts, offs, len);
        }
        // Heads are read into one buffer; reading into the first one keeps the watch simple.
        for (int i = offs; i < offs + len; i++) {
            if (dsts[i].hasRemaining()) {
                return read(dsts[i]);
            }
        }
        return 0;
    }

    // Transfers move request bodies, which are read after the head: they pass as they are.
    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return next.transferTo(position, count, target);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return next.transferTo(count, throughBuffer, target);
    }

    /** Looks at the bytes just read; -1 (end of stream) once the head was refused. */
    private int watch(ByteBuffer dst, int start, int read) {
        for (int i = start; i < start + read && watching; i++) {
            byte b = dst.get(i);
            if (b == '\n') {
                if (lineLength == 0 && !inRequestLine) {
                    watching = false; // the blank line: the head is complete
                }
                if (lineLength > 0) {
                    inRequestLine = false;
                }
                lineLength = 0;
            } else if (b != '\r') {
                lineLength++;
            }
            if (!inRequestLine && ++headerBytes > maxHeaderBytes) {
                refuse();
                dst.position(start);
                return -1;
            }
        }
        return read;
    }

    private void refuse() {
        watching = false;
        try {
            // Small enough for an empty socket buffer; if it does not fit, the client sees a reset.
            connection.getSinkChannel().write(ByteBuffer.wrap(TOO_LARGE));
            connection.getSinkChannel().flush();
        } catch (IOException ignored) {
            // the peer is gone already
        }
        IoUtils.safeClose(connection);
    }
}
