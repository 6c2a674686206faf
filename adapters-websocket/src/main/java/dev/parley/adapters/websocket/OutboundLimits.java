package dev.parley.adapters.websocket;

/**
 * How far a connection may fall behind before it is closed with 1013: frames and bytes
 * queued for it and not yet written to its socket.
 */
public record OutboundLimits(int maxQueuedFrames, long maxQueuedBytes) {
    public static final OutboundLimits DEFAULTS = new OutboundLimits(1_000, 4L * 1024 * 1024);

    public OutboundLimits {
        if (maxQueuedFrames < 1 || maxQueuedBytes < 1) {
            throw new IllegalArgumentException("outbound limits must be positive");
        }
    }
}
