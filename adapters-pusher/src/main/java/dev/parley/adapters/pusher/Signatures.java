package dev.parley.adapters.pusher;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The app's signatures, as Pusher computes them: hex HMAC-SHA256 with the app secret over a
 * string that says what is allowed (a subscription, a sign-in, an HTTP API request). Compared in
 * constant time.
 */
final class Signatures {
    private final String key;
    private final SecretKeySpec secret;

    Signatures(String key, String secret) {
        this.key = key;
        this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    String key() {
        return key;
    }

    /** Hex HMAC-SHA256 of {@code message} under the app secret. */
    String sign(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** A subscription or sign-in {@code auth}: {@code <key>:<signature of message>}. */
    boolean isValidAuth(String auth, String message) {
        return auth != null && equal(auth, key + ":" + sign(message));
    }

    /** A subscription's signed string: the socket and the channel, and a presence channel's member data. */
    static String subscription(String socketId, String channel, String channelData) {
        return channelData == null ? socketId + ":" + channel : socketId + ":" + channel + ":" + channelData;
    }

    static String signIn(String socketId, String userData) {
        return socketId + "::user::" + userData;
    }

    static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
