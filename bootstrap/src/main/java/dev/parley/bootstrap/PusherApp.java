package dev.parley.bootstrap;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** The one Pusher app a node serves: {@code PARLEY_PUSHER_APP_ID}, {@code _KEY} and {@code _SECRET}. */
public record PusherApp(String appId, String key, String secret) {
    static final int MIN_SECRET_BYTES = 16;

    public PusherApp {
        Objects.requireNonNull(appId, "appId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
        if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("PARLEY_PUSHER_SECRET must be at least " + MIN_SECRET_BYTES + " bytes");
        }
    }

    @Override
    public String toString() {
        return "PusherApp[appId=" + appId + ", key=" + key + ", secret=(hidden)]";
    }
}
