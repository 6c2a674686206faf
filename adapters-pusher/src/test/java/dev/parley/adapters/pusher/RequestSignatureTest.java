package dev.parley.adapters.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Requests signed here independently of {@link Signatures}, the way the SDKs sign them. */
class RequestSignatureTest {
    private static final String KEY = "app-key";
    private static final String SECRET = "app-secret-0123456789";
    private static final long NOW = 1_800_000_000L;
    private static final String PATH = "/apps/42/channels/presence-room";

    private final RequestSignature signature = new RequestSignature(new Signatures(KEY, SECRET),
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    @Test
    void given_a_request_signed_like_the_node_sdk_when_checked_then_it_is_valid() {
        String query = signedQuery("GET", PATH, Map.of("info", "user_count,subscription_count"), NOW, SECRET, false);

        assertThat(signature.isValid("GET", PATH, query, new byte[0])).isTrue();
    }

    @Test
    void given_values_percent_encoded_on_the_wire_like_pusher_http_php_when_checked_then_it_is_valid() {
        String query = signedQuery("GET", PATH, Map.of("info", "user_count,subscription_count"), NOW, SECRET, true);

        assertThat(query).contains("info=user_count%2Csubscription_count");
        assertThat(signature.isValid("GET", PATH, query, new byte[0])).isTrue();
    }

    @Test
    void given_an_encoded_value_signed_encoded_when_checked_then_it_is_invalid() {
        // the signature covers the decoded value: one over the encoded text is not the SDKs' and is refused
        String query = signedQuery("GET", PATH, Map.of("info", "user_count%2Csubscription_count"), NOW, SECRET, false);

        assertThat(signature.isValid("GET", PATH, query, new byte[0])).isFalse();
    }

    @Test
    void given_a_malformed_percent_escape_when_checked_then_it_is_invalid() {
        String query = signedQuery("GET", PATH, Map.of(), NOW, SECRET, false) + "&info=%zz";

        assertThat(signature.isValid("GET", PATH, query, new byte[0])).isFalse();
    }

    @Test
    void given_a_timestamp_more_than_600_s_away_when_checked_then_it_is_invalid_and_600_s_is_not() {
        assertThat(signature.isValid("GET", PATH, signedQuery("GET", PATH, Map.of(), NOW - 601, SECRET, false),
                new byte[0])).isFalse();
        assertThat(signature.isValid("GET", PATH, signedQuery("GET", PATH, Map.of(), NOW + 601, SECRET, false),
                new byte[0])).isFalse();
        assertThat(signature.isValid("GET", PATH, signedQuery("GET", PATH, Map.of(), NOW - 600, SECRET, false),
                new byte[0])).isTrue();
    }

    @Test
    void given_another_secret_method_or_path_when_checked_then_it_is_invalid() {
        String query = signedQuery("GET", PATH, Map.of(), NOW, "another-secret-0123456789", false);
        String good = signedQuery("GET", PATH, Map.of(), NOW, SECRET, false);

        assertThat(signature.isValid("GET", PATH, query, new byte[0])).isFalse();
        assertThat(signature.isValid("POST", PATH, good, new byte[0])).isFalse();
        assertThat(signature.isValid("GET", PATH + "x", good, new byte[0])).isFalse();
    }

    @Test
    void given_a_body_when_body_md5_is_missing_or_another_then_it_is_invalid_and_its_own_passes() {
        byte[] body = "{\"name\":\"e\",\"channel\":\"c\",\"data\":\"{}\"}".getBytes(StandardCharsets.UTF_8);
        String path = "/apps/42/events";

        assertThat(signature.isValid("POST", path, signedQuery("POST", path, Map.of(), NOW, SECRET, false), body))
                .isFalse();
        assertThat(signature.isValid("POST", path,
                signedQuery("POST", path, Map.of("body_md5", md5("{}".getBytes(StandardCharsets.UTF_8))), NOW, SECRET,
                        false), body)).isFalse();
        assertThat(signature.isValid("POST", path,
                signedQuery("POST", path, Map.of("body_md5", md5(body)), NOW, SECRET, false), body)).isTrue();
    }

    @Test
    void given_a_plus_in_a_value_when_decoded_then_it_stays_a_plus() {
        assertThat(RequestSignature.decode("a+b%2Cc")).contains("a+b,c");
        assertThat(RequestSignature.decode("plain")).contains("plain");
        assertThat(RequestSignature.decode("%e2%82%ac")).contains("\u20ac");
        assertThat(RequestSignature.decode("%4")).isEmpty();
    }

    /** The query an SDK sends: auth parameters and {@code params}, signed over the values as they are. */
    private static String signedQuery(String method, String path, Map<String, String> params, long timestamp,
                                      String secret, boolean encodeOnTheWire) {
        Map<String, String> query = new TreeMap<>(params);
        query.put("auth_key", KEY);
        query.put("auth_timestamp", Long.toString(timestamp));
        query.put("auth_version", "1.0");
        String canonical = join(query, false);
        query.put("auth_signature", hmac(secret, method + "\n" + path + "\n" + canonical));
        return join(query, encodeOnTheWire);
    }

    private static String join(Map<String, String> query, boolean encode) {
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + (encode ? URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8) : e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
