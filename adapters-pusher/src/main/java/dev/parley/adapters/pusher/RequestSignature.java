package dev.parley.adapters.pusher;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks a Pusher HTTP API request: {@code auth_key} is the app's, {@code auth_timestamp} within
 * 600 s of this server's clock, {@code auth_version=1.0}, {@code body_md5} the MD5 of the body (for
 * a request with one), and {@code auth_signature} the HMAC of
 * {@code "<METHOD>\n<path>\n<query>"}, the query being every parameter but the signature, keys
 * lower-cased and sorted, values percent-decoded: the SDKs sign the values as they are, and some
 * send them so (the Node SDK: {@code info=user_count,subscription_count}), others percent-encoded
 * (pusher-http-php, whose Guzzle writes {@code info=user_count%2Csubscription_count}).
 */
final class RequestSignature {
    static final long MAX_SKEW_SECONDS = 600;

    private final Signatures signatures;
    private final Clock clock;

    RequestSignature(Signatures signatures, Clock clock) {
        this.signatures = signatures;
        this.clock = clock;
    }

    /**
     * Whether a request is signed with the app's secret, recently, over this body.
     *
     * @param path  the path as the client sent it (the SDKs sign the path they send)
     * @param query the query string as the client sent it, or null
     */
    boolean isValid(String method, String path, String query, byte[] body) {
        Map<String, String> parameters = new TreeMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                Optional<String> key = decode(equals < 0 ? pair : pair.substring(0, equals));
                Optional<String> value = decode(equals < 0 ? "" : pair.substring(equals + 1));
                if (key.isEmpty() || value.isEmpty()) {
                    return false;
                }
                parameters.put(key.get().toLowerCase(Locale.ROOT), value.get());
            }
        }
        String given = parameters.remove("auth_signature");
        if (given == null || !signatures.key().equals(parameters.get("auth_key"))
                || !"1.0".equals(parameters.get("auth_version")) || !isFresh(parameters.get("auth_timestamp"))) {
            return false;
        }
        if (body.length > 0 && !Signatures.md5(body).equals(parameters.get("body_md5"))) {
            return false;
        }
        StringBuilder canonical = new StringBuilder();
        parameters.forEach((key, value) -> {
            if (!canonical.isEmpty()) {
                canonical.append('&');
            }
            canonical.append(key).append('=').append(value);
        });
        String signed = method + "\n" + path + "\n" + canonical;
        return Signatures.equal(given, signatures.sign(signed));
    }

    /** Percent-decoded UTF-8; a {@code +} stays a {@code +} (no SDK writes a space as one). Empty when malformed. */
    static Optional<String> decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return Optional.of(raw);
        }
        try {
            return Optional.of(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private boolean isFresh(String timestamp) {
        try {
            return Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) <= MAX_SKEW_SECONDS;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
