package dev.parley.bootstrap;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** JWTs for the tests: HS256 with the test secret, RS256 with a generated key, and {@code alg: none}. */
final class Tokens {
    /** 40 bytes of UTF-8: over the 32-byte minimum. */
    static final String SECRET = "parley-e2e-secret-0123456789-abcdefghijk";
    static final String OTHER_SECRET = "not-the-secret-of-this-server-0123456789";

    private Tokens() {
    }

    /** A valid HS256 token for {@code sub}, display name {@code Name}, one hour to live. */
    static String of(String sub) {
        return hs256(SECRET, claims(sub, capitalised(sub), Instant.now().plus(Duration.ofHours(1)), null));
    }

    static String of(String sub, String name) {
        return hs256(SECRET, claims(sub, name, Instant.now().plus(Duration.ofHours(1)), null));
    }

    static String withRooms(String sub, List<String> rooms) {
        return hs256(SECRET, claims(sub, capitalised(sub), Instant.now().plus(Duration.ofHours(1)), rooms));
    }

    static String expiringAt(String sub, Instant exp) {
        return hs256(SECRET, claims(sub, capitalised(sub), exp, null));
    }

    static String signedWith(String secret, String sub) {
        return hs256(secret, claims(sub, sub, Instant.now().plus(Duration.ofHours(1)), null));
    }

    /** An unsigned token ({@code {"alg":"none"}}) with otherwise valid claims. */
    static String algNone(String sub) {
        return new PlainJWT(claims(sub, sub, Instant.now().plus(Duration.ofHours(1)), null)).serialize();
    }

    static JWTClaimsSet claims(String sub, String name, Instant exp, List<String> rooms) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(sub).claim("name", name)
                .issueTime(new Date()).expirationTime(exp == null ? null : Date.from(exp));
        if (rooms != null) {
            builder.claim("rooms", rooms);
        }
        return builder.build();
    }

    static String hs256(String secret, JWTClaimsSet claims) {
        try {
            return sign(new JWSHeader(JWSAlgorithm.HS256), new MACSigner(secret.getBytes(StandardCharsets.UTF_8)),
                    claims);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String capitalised(String sub) {
        return Character.toUpperCase(sub.charAt(0)) + sub.substring(1);
    }

    /**
     * A key pair, RSA (RS256) or EC P-256 (ES256), whose public half is written as a PEM file
     * ({@code BEGIN PUBLIC KEY}, as {@code openssl ... -pubout} writes it) for {@code --jwt-public-key}.
     */
    static final class KeyFile {
        final KeyPair keys;
        final Path publicKeyPem;

        KeyFile(Path dir, String algorithm) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
                if (algorithm.equals("EC")) {
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                } else {
                    generator.initialize(2048);
                }
                keys = generator.generateKeyPair();
                String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keys.getPublic().getEncoded());
                publicKeyPem = Files.createTempFile(dir, "jwt-public-", ".pem");
                Files.writeString(publicKeyPem, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String token(String sub) {
            JWTClaimsSet claims = claims(sub, sub, Instant.now().plus(Duration.ofHours(1)), null);
            try {
                if (keys.getPrivate() instanceof ECPrivateKey ec) {
                    return sign(new JWSHeader(JWSAlgorithm.ES256), new ECDSASigner(ec), claims);
                }
                return sign(new JWSHeader(JWSAlgorithm.RS256), new RSASSASigner((RSAPrivateKey) keys.getPrivate()),
                        claims);
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
