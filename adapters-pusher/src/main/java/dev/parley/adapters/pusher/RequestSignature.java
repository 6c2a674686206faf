package dev.parley.adapters.pusher;

import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a Pusher HTTP API request: {@code auth_key} is the app's, {@code auth_timestamp} within
 * 600 s of this server's clock, {@code auth_version=1.0}, {@code body_md5} the MD5 of the body (for
 * a request with one), and {@code auth_signature} the HMAC of
 * {@code "<METHOD>\n<path>\n<query>"}, the query being every parameter but the signature, keys
 * lower-cased and sorted, values as sent (the SDKs do not URL-encode them).
 */
final class RequestSignature {
    static final long MAX_SKEW_SECONDS = 600;

    private final Signatures signatures;
    private final Clock clock;

    RequestSignature(Signatures signatures, Clock clock) {
        this.signatures = signatures;
        this.clock = clock;
    }

    boolean isValid(HttpServerExchange exchange, byte[] body) {
        Map<String, String> parameters = new TreeMap<>();
        String query = exchange.getQueryString();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String key = (equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT);
                parameters.put(key, equals < 0 ? "" : pair.substring(equals + 1));
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
        String signed = exchange.getRequestMethod().toString() + "\n" + exchange.getRequestPath() + "\n" + canonical;
        return Signatures.equal(given, signatures.sign(signed));
    }

    private boolean isFresh(String timestamp) {
        try {
            return Math.abs(clock.instant().getEpochSecond() - Long.parseLong(timestamp)) <= MAX_SKEW_SECONDS;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
