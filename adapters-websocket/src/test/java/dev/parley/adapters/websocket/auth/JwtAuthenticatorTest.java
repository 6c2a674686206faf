package dev.parley.adapters.websocket.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JwtAuthenticator}: the token rules of docs/protocol.md section 1. */
class JwtAuthenticatorTest {
    /** A whole second: JWT times have second precision. */
    private static final Instant NOW = Instant.parse("2024-11-25T02:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private static final String LONG_SECRET = SECRET + SECRET;

    private static KeyPair rsa;
    private static KeyPair otherRsa;
    private static KeyPair ec;
    private static KeyPair otherEc;

    @BeforeAll
    static void generateKeys() throws Exception {
        KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
        rsaGenerator.initialize(2048);
        rsa = rsaGenerator.generateKeyPair();
        otherRsa = rsaGenerator.generateKeyPair();
        KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
        ecGenerator.initialize(new ECGenParameterSpec("secp256r1"));
        ec = ecGenerator.generateKeyPair();
        otherEc = ecGenerator.generateKeyPair();
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static JWTClaimsSet.Builder claims(String sub) {
        return new JWTClaimsSet.Builder().subject(sub);
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String hs256(JWTClaimsSet claims) throws Exception {
        return sign(JWSAlgorithm.HS256, new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), claims);
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Authenticator.Result authenticate(Authenticator authenticator, String token) {
        return authenticator.authenticate(Optional.of(token), Optional.empty(), Optional.empty());
    }

    private static Authenticator.Authenticated accepted(Authenticator.Result result) {
        assertThat(result).isInstanceOf(Authenticator.Authenticated.class);
        return (Authenticator.Authenticated) result;
    }

    private static String rejectedReason(Authenticator.Result result) {
        assertThat(result).isInstanceOf(Authenticator.Rejected.class);
        return ((Authenticator.Rejected) result).reason();
    }

    @Nested
    class Hs256 {
        private final JwtAuthenticator authenticator = JwtAuthenticator.hs256(SECRET, CLOCK);

        @Test
        void given_valid_token_with_sub_name_and_rooms_when_authenticating_then_principal_with_them() throws Exception {
            String token = hs256(claims("alice").claim("name", "Alice Liddell")
                    .claim("rooms", List.of("private:team-*", "private:ops")).build());

            Authenticator.Authenticated result = accepted(authenticate(authenticator, token));

            assertThat(result.principal()).isEqualTo(new Principal(new User(UserId.of("alice"), "Alice Liddell"),
                    RoomGrants.of("private:team-*", "private:ops")));
            assertThat(result.principal().grants().permits(RoomName.of("private:team-blue"))).isTrue();
            assertThat(result.principal().grants().permits(RoomName.of("private:other"))).isFalse();
            assertThat(result.expiresAtMillis()).isEmpty();
        }

        @Test
        void given_token_without_name_when_authenticating_then_name_defaults_to_sub() throws Exception {
            Authenticator.Authenticated result = accepted(authenticate(authenticator, hs256(claims("bob").build())));

            assertThat(result.principal().user()).isEqualTo(new User(UserId.of("bob"), "bob"));
            assertThat(result.principal().grants()).isEqualTo(RoomGrants.NONE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "\u0000\r"})
        void given_token_with_blank_name_when_authenticating_then_name_defaults_to_sub(String name) throws Exception {
            String token = hs256(claims("bob").claim("name", name).build());

            assertThat(accepted(authenticate(authenticator, token)).principal().user().name()).isEqualTo("bob");
        }

        @Test
        void given_token_with_non_string_name_when_authenticating_then_name_defaults_to_sub() throws Exception {
            String token = hs256(claims("bob").claim("name", 42).build());

            assertThat(accepted(authenticate(authenticator, token)).principal().user().name()).isEqualTo("bob");
        }

        @Test
        void given_token_with_empty_rooms_array_when_authenticating_then_no_grants() throws Exception {
            String token = hs256(claims("bob").claim("rooms", List.of()).build());

            assertThat(accepted(authenticate(authenticator, token)).principal().grants()).isEqualTo(RoomGrants.NONE);
        }

        @Test
        void given_secret_of_multi_byte_characters_when_creating_then_its_utf_8_bytes_are_the_key() throws Exception {
            String secret = "\u00e9".repeat(16); // 16 characters, 32 bytes
            JwtAuthenticator multiByte = JwtAuthenticator.hs256(secret, CLOCK);
            String token = sign(JWSAlgorithm.HS256, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)),
                    claims("alice").build());

            assertThat(accepted(authenticate(multiByte, token)).principal().id()).isEqualTo(UserId.of("alice"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "short", "0123456789abcdef0123456789abcde"})
        void given_secret_under_32_bytes_when_creating_then_refused(String secret) {
            assertThatIllegalArgumentException().isThrownBy(() -> JwtAuthenticator.hs256(secret, CLOCK))
                    .withMessageContaining("32");
        }

        @Test
        void given_secret_of_31_bytes_in_16_characters_when_creating_then_refused() {
            String secret = "\u00e9".repeat(15) + "x"; // 16 characters, 31 bytes

            assertThatIllegalArgumentException().isThrownBy(() -> JwtAuthenticator.hs256(secret, CLOCK));
        }

        @Test
        void given_token_signed_with_another_secret_when_authenticating_then_rejected() throws Exception {
            String token = sign(JWSAlgorithm.HS256,
                    new MACSigner("another secret of at least 32 bytes!!".getBytes(StandardCharsets.UTF_8)),
                    claims("alice").build());

            assertThat(rejectedReason(authenticate(authenticator, token))).contains("signature");
        }

        @Test
        void given_token_whose_payload_was_changed_when_authenticating_then_rejected() throws Exception {
            String[] parts = hs256(claims("alice").build()).split("\\.");
            String forged = parts[0] + "." + base64Url("{\"sub\":\"admin\"}") + "." + parts[2];

            rejectedReason(authenticate(authenticator, forged));
        }

        @ParameterizedTest
        @ValueSource(strings = {"garbage", "a.b.c", "a.b", "...", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9..",
            "e30.e30.e30", "Bearer x.y.z", "a.b.c.d.e"})
        void givenMalformedToken_whenAuthenticating_thenRejected(String token) {
            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_token_with_valid_signature_but_claims_that_are_not_json_when_authenticating_then_rejected() throws Exception {
            String header = base64Url("{\"alg\":\"HS256\"}");
            String payload = base64Url("not json");
            MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
            String signature = signer.sign(new JWSHeader(JWSAlgorithm.HS256),
                    (header + "." + payload).getBytes(StandardCharsets.US_ASCII)).toString();

            rejectedReason(authenticate(authenticator, header + "." + payload + "." + signature));
        }

        @Test
        void given_no_token_when_authenticating_then_rejected() {
            Authenticator.Result result = authenticator.authenticate(Optional.empty(), Optional.of("alice"),
                    Optional.of("Alice"));

            assertThat(rejectedReason(result)).contains("missing");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "\t"})
        void given_blank_token_when_authenticating_then_rejected(String token) {
            assertThat(rejectedReason(authenticate(authenticator, token))).contains("missing");
        }

        @ParameterizedTest
        @ValueSource(strings = {"none", "None", "NONE"})
        void given_unsigned_token_with_alg_none_when_authenticating_then_rejected(String alg) {
            String header = base64Url("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
            String payload = base64Url("{\"sub\":\"alice\",\"name\":\"Alice\"}");

            rejectedReason(authenticate(authenticator, header + "." + payload + "."));
        }

        @Test
        void given_alg_none_token_carrying_a_valid_hs_256_signature_when_authenticating_then_rejected() throws Exception {
            String header = base64Url("{\"alg\":\"none\"}");
            String payload = base64Url("{\"sub\":\"alice\"}");
            MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
            String signature = signer.sign(new JWSHeader(JWSAlgorithm.HS256),
                    (header + "." + payload).getBytes(StandardCharsets.US_ASCII)).toString();

            rejectedReason(authenticate(authenticator, header + "." + payload + "." + signature));
        }

        @Test
        void given_hs_512_token_signed_with_the_same_secret_when_hs_256_is_expected_then_rejected() throws Exception {
            // With a 64-byte secret the verifier's key could check HS512 too: only the algorithm rule refuses it.
            JwtAuthenticator longKey = JwtAuthenticator.hs256(LONG_SECRET, CLOCK);
            String hs256Token = sign(JWSAlgorithm.HS256, new MACSigner(LONG_SECRET.getBytes(StandardCharsets.UTF_8)),
                    claims("alice").build());
            String hs512Token = sign(JWSAlgorithm.HS512, new MACSigner(LONG_SECRET.getBytes(StandardCharsets.UTF_8)),
                    claims("alice").build());

            accepted(authenticate(longKey, hs256Token));
            assertThat(rejectedReason(authenticate(longKey, hs512Token))).contains("HS512");
        }

        @Test
        void given_hs_384_token_when_hs_256_is_expected_then_rejected() throws Exception {
            JwtAuthenticator longKey = JwtAuthenticator.hs256(LONG_SECRET, CLOCK);
            String token = sign(JWSAlgorithm.HS384, new MACSigner(LONG_SECRET.getBytes(StandardCharsets.UTF_8)),
                    claims("alice").build());

            rejectedReason(authenticate(longKey, token));
        }

        @Test
        void given_rs_256_token_when_hs_256_is_expected_then_rejected() throws Exception {
            String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), claims("alice").build());

            assertThat(rejectedReason(authenticate(authenticator, token))).contains("RS256");
        }

        @Test
        void given_es_256_token_when_hs_256_is_expected_then_rejected() throws Exception {
            String token = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                    claims("alice").build());

            rejectedReason(authenticate(authenticator, token));
        }

        @ParameterizedTest
        @ValueSource(strings = {"'private:*'", "{\"private:a\":true}", "42", "true"})
        void given_rooms_claim_that_is_not_an_array_when_authenticating_then_rejected(String rooms) throws Exception {
            String header = base64Url("{\"alg\":\"HS256\"}");
            String payload = base64Url("{\"sub\":\"alice\",\"rooms\":" + rooms.replace('\'', '"') + "}");
            MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
            String signature = signer.sign(new JWSHeader(JWSAlgorithm.HS256),
                    (header + "." + payload).getBytes(StandardCharsets.US_ASCII)).toString();

            assertThat(rejectedReason(authenticate(authenticator, header + "." + payload + "." + signature)))
                    .contains("rooms");
        }

        @Test
        void given_token_without_sub_when_authenticating_then_rejected() throws Exception {
            rejectedReason(authenticate(authenticator, hs256(new JWTClaimsSet.Builder().claim("name", "x").build())));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "two words", "tab\there", "new\nline"})
        void given_token_with_invalid_sub_when_authenticating_then_rejected(String sub) throws Exception {
            rejectedReason(authenticate(authenticator, hs256(claims(sub).build())));
        }

        @Test
        void given_token_with_sub_of_129_characters_when_authenticating_then_rejected() throws Exception {
            rejectedReason(authenticate(authenticator, hs256(claims("u".repeat(129)).build())));
        }
    }

    @Nested
    class Expiry {
        private final JwtAuthenticator authenticator = JwtAuthenticator.hs256(SECRET, CLOCK);

        private Authenticator.Result withExp(long secondsFromNow) throws Exception {
            return authenticate(authenticator, hs256(claims("alice")
                    .expirationTime(Date.from(NOW.plusSeconds(secondsFromNow))).build()));
        }

        @Test
        void given_token_expiring_in_the_future_when_authenticating_then_accepted_and_expiry_reported_with_leeway()
                throws Exception {
            Authenticator.Authenticated result = accepted(withExp(3600));

            assertThat(result.expiresAtMillis())
                    .isEqualTo(OptionalLong.of(NOW.plusSeconds(3600).toEpochMilli() + JwtAuthenticator.LEEWAY_MILLIS));
        }

        @ParameterizedTest
        @ValueSource(longs = {-1, -30, -59, -60})
        void given_token_expired_within_the_leeway_when_authenticating_then_accepted_until_the_leeway_ends(long seconds)
                throws Exception {
            Authenticator.Authenticated result = accepted(withExp(seconds));

            assertThat(result.expiresAtMillis().getAsLong())
                    .isEqualTo(NOW.plusSeconds(seconds).toEpochMilli() + 60_000)
                    .isGreaterThanOrEqualTo(NOW.toEpochMilli());
        }

        @ParameterizedTest
        @ValueSource(longs = {-61, -3600, -31_536_000})
        void given_token_expired_beyond_the_leeway_when_authenticating_then_rejected(long seconds) throws Exception {
            assertThat(rejectedReason(withExp(seconds))).contains("expired");
        }

        @Test
        void given_token_not_valid_for_another_minute_and_a_half_when_authenticating_then_rejected() throws Exception {
            String token = hs256(claims("alice").notBeforeTime(Date.from(NOW.plusSeconds(90))).build());

            assertThat(rejectedReason(authenticate(authenticator, token))).contains("not valid yet");
        }

        @Test
        void given_token_not_valid_for_another_half_minute_when_authenticating_then_accepted_within_the_leeway()
                throws Exception {
            String token = hs256(claims("alice").notBeforeTime(Date.from(NOW.plusSeconds(30))).build());

            accepted(authenticate(authenticator, token));
        }

        @Test
        void given_exp_that_is_not_a_number_when_authenticating_then_rejected() throws Exception {
            String header = base64Url("{\"alg\":\"HS256\"}");
            String payload = base64Url("{\"sub\":\"alice\",\"exp\":\"tomorrow\"}");
            MACSigner signer = new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8));
            String signature = signer.sign(new JWSHeader(JWSAlgorithm.HS256),
                    (header + "." + payload).getBytes(StandardCharsets.US_ASCII)).toString();

            rejectedReason(authenticate(authenticator, header + "." + payload + "." + signature));
        }
    }

    @Nested
    class PublicKeys {

        @Test
        void given_rsa_pem_and_rs_256_token_when_authenticating_then_principal() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()),
                    claims("alice").claim("name", "Alice").claim("rooms", List.of("private:a*"))
                            .expirationTime(Date.from(NOW.plusSeconds(600))).build());

            Authenticator.Authenticated result = accepted(authenticate(authenticator, token));

            assertThat(result.principal()).isEqualTo(new Principal(new User(UserId.of("alice"), "Alice"),
                    RoomGrants.of("private:a*")));
            assertThat(result.expiresAtMillis()).hasValue(NOW.plusSeconds(660).toEpochMilli());
            assertThat(authenticator.mode()).contains("RS256");
        }

        @Test
        void given_ec_pem_and_es_256_token_when_authenticating_then_principal() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(ec.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                    claims("bob").build());

            Authenticator.Authenticated result = accepted(authenticate(authenticator, token));

            assertThat(result.principal().user()).isEqualTo(new User(UserId.of("bob"), "bob"));
            assertThat(authenticator.mode()).contains("ES256");
        }

        @Test
        void given_rs_256_token_signed_by_another_key_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.RS256, new RSASSASigner(otherRsa.getPrivate()), claims("alice").build());

            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_es_256_token_signed_by_another_key_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(ec.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) otherEc.getPrivate()),
                    claims("alice").build());

            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_rsa_key_and_rs_512_token_of_the_same_key_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.RS512, new RSASSASigner(rsa.getPrivate()), claims("alice").build());

            assertThat(rejectedReason(authenticate(authenticator, token))).contains("RS512");
        }

        @Test
        void given_rsa_key_and_ps_256_token_of_the_same_key_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.PS256, new RSASSASigner(rsa.getPrivate()), claims("alice").build());

            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_rsa_key_and_hs_256_token_keyed_with_the_public_key_text_when_authenticating_then_rejected() throws Exception {
            String publicPem = pem(rsa.getPublic());
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(publicPem, CLOCK);
            String confused = sign(JWSAlgorithm.HS256, new MACSigner(publicPem.getBytes(StandardCharsets.UTF_8)),
                    claims("admin").build());

            assertThat(rejectedReason(authenticate(authenticator, confused))).contains("HS256");
        }

        @Test
        void given_rsa_key_and_es_256_token_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                    claims("alice").build());

            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_ec_key_and_rs_256_token_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(ec.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), claims("alice").build());

            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_public_key_and_alg_none_token_when_authenticating_then_rejected() {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = base64Url("{\"alg\":\"none\"}") + "." + base64Url("{\"sub\":\"alice\"}") + ".";

            rejectedReason(authenticate(authenticator, token));
        }

        @Test
        void given_rs_256_token_expired_beyond_the_leeway_when_authenticating_then_rejected() throws Exception {
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem(rsa.getPublic()), CLOCK);
            String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()),
                    claims("alice").expirationTime(Date.from(NOW.minusSeconds(61))).build());

            assertThat(rejectedReason(authenticate(authenticator, token))).contains("expired");
        }

        @Test
        void given_pem_with_cr_lf_line_ends_and_surrounding_text_when_creating_then_key_is_usable() throws Exception {
            String pem = "# issued by ops\r\n" + pem(rsa.getPublic()).replace("\n", "\r\n");
            JwtAuthenticator authenticator = JwtAuthenticator.publicKey(pem, CLOCK);
            String token = sign(JWSAlgorithm.RS256, new RSASSASigner(rsa.getPrivate()), claims("alice").build());

            accepted(authenticate(authenticator, token));
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "not a key", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"})
        void givenTextThatIsNotAPemPublicKey_whenCreating_thenIllegalArgument(String pem) {
            assertThatIllegalArgumentException().isThrownBy(() -> JwtAuthenticator.publicKey(pem, CLOCK));
        }

        @Test
        void given_pem_of_a_key_that_is_neither_rsa_nor_ec_when_creating_then_illegal_argument() throws Exception {
            KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");

            assertThatIllegalArgumentException().isThrownBy(
                    () -> JwtAuthenticator.publicKey(pem(ed.generateKeyPair().getPublic()), CLOCK));
        }
    }

    @Nested
    class Modes {

        @Test
        void given_each_kind_when_asking_the_mode_then_it_names_the_algorithm() {
            assertThat(JwtAuthenticator.hs256(SECRET, CLOCK).mode()).isEqualTo("jwt HS256");
            assertThat(new InsecureDevAuthenticator().mode()).isEqualTo("insecure-dev");
        }

        @Test
        void given_results_built_with_nulls_when_constructing_then_refused() {
            Principal principal = new Principal(User.named("alice"), RoomGrants.NONE);

            assertThatNullPointerException().isThrownBy(() -> new Authenticator.Authenticated(null, OptionalLong.empty()));
            assertThatNullPointerException().isThrownBy(() -> new Authenticator.Authenticated(principal, null));
            assertThatNullPointerException().isThrownBy(() -> new Authenticator.Rejected(null));
        }
    }
}
