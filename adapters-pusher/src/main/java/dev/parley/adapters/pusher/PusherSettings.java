package dev.parley.adapters.pusher;

import dev.parley.domain.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the Pusher front door runs: the one app it serves, its keep-alive, and the limits it
 * shares with Parley's own front door.
 *
 * @param activityTimeout after this much silence the server pings a socket (sent to clients as {@code activity_timeout})
 * @param pongTimeout     a socket that does not answer a ping within this is closed with 4201
 * @param allowedOrigins  empty: any origin (as Pusher); else only these, {@code *} for any
 * @param framesPerSecond Parley's rate limit on every frame; client events have Pusher's own (10 per second)
 */
public record PusherSettings(String appId, String key, String secret, NodeId node, Duration activityTimeout,
                             Duration pongTimeout, List<String> allowedOrigins, int maxFrameBytes,
                             int outboundMaxFrames, int framesPerSecond, int frameBurst) {
    public static final int MIN_SECRET_BYTES = 16;
    public static final int CLIENT_EVENTS_PER_SECOND = 10;

    public PusherSettings {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(activityTimeout, "activityTimeout");
        Objects.requireNonNull(pongTimeout, "pongTimeout");
        allowedOrigins = List.copyOf(allowedOrigins);
        if (appId.isBlank() || key.isBlank()) {
            throw new IllegalArgumentException("the Pusher app id and key must not be blank");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("PARLEY_PUSHER_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (activityTimeout.toSeconds() < 1 || pongTimeout.isNegative() || pongTimeout.isZero()) {
            throw new IllegalArgumentException("the activity timeout must be at least 1 s, the pong timeout positive");
        }
        if (maxFrameBytes < 1 || outboundMaxFrames < 1 || framesPerSecond < 1 || frameBurst < 1) {
            throw new IllegalArgumentException("frame limits must be positive");
        }
    }
}
