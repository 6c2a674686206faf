package dev.parley.adapters.websocket;

import dev.parley.domain.Limits;
import dev.parley.domain.NodeId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import dev.parley.adapters.websocket.http.TlsFiles;

/**
 * How the WebSocket and HTTP server runs.
 *
 * @param allowedOrigins origins allowed to open {@code /ws}; empty means the server's own
 *                       origin and any {@code localhost}; {@code *} allows any
 * @param maxConnections open connections this node accepts before answering 503
 * @param maxFrameBytes  the largest text frame a client may send (larger: close 1009)
 */
public record ServerSettings(
        String host,
        int port,
        NodeId nodeId,
        long heartbeatIntervalMs,
        long heartbeatTimeoutMs,
        List<String> allowedOrigins,
        Optional<String> adminKey,
        int maxConnections,
        Limits limits,
        int maxFrameBytes,
        OutboundLimits outboundLimits,
        Optional<TlsFiles> tls) {

    /** docs/protocol.md section 7: frames of at most 64 KiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nodeId, "nodeId");
        allowedOrigins = List.copyOf(allowedOrigins);
        Objects.requireNonNull(adminKey, "adminKey");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(outboundLimits, "outboundLimits");
        Objects.requireNonNull(tls, "tls");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (heartbeatIntervalMs < 1 || heartbeatTimeoutMs < 1) {
            throw new IllegalArgumentException("heartbeat interval and timeout must be positive");
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive");
        }
    }

}
