package dev.parley.adapters.websocket.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import dev.parley.domain.Validated;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signed JWTs: HS256 with a shared secret, or RS256/ES256 with a PEM public key. {@code alg:
 * none} and every other algorithm are refused; {@code exp} gets 60 s of leeway. Claims:
 * {@code sub} the user id, {@code name} the display name, {@code rooms} globs of private rooms.
 */
public final class JwtAuthenticator implements Authenticator {
    static final long LEEWAY_MILLIS = 60_000;
    public static final int MIN_SECRET_BYTES = 32;

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private final Set<JWSAlgorithm> algorithms;
    private final JWSVerifier verifier;
    private final Clock clock;

    private JwtAuthenticator(Set<JWSAlgorithm> algorithms, JWSVerifier verifier, Clock clock) {
        this.algorithms = algorithms;
        this.verifier = verifier;
        this.clock = clock;
    }

    /** HS256 with the UTF-8 bytes of {@code secret}, which must be at least 32 bytes. */
    public static JwtAuthenticator hs256(String secret, Clock clock) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("PARLEY_JWT_SECRET must be at least " + MIN_SECRET_BYTES
                    + " bytes; it has " + key.length);
        }
        try {
            return new JwtAuthenticator(Set.of(JWSAlgorithm.HS256), new MACVerifier(key), clock);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable JWT secret: " + e.getMessage(), e);
        }
    }

    /**
     * RS256 or ES256, from a PEM-encoded RSA or EC public key ({@code BEGIN PUBLIC KEY}, as
     * {@code openssl ... -pubout} writes it) or a certificate holding one. Parsed with the JDK:
     * Nimbus's own PEM parser needs BouncyCastle, which is not on the server's class path.
     */
    public static JwtAuthenticator publicKey(String pem, Clock clock) {
        PublicKey key = parsePublicKey(pem);
        try {
            if (key instanceof RSAPublicKey rsa) {
                return new JwtAuthenticator(Set.of(JWSAlgorithm.RS256), new RSASSAVerifier(rsa), clock);
            }
            if (key instanceof ECPublicKey ec) {
                return new JwtAuthenticator(Set.of(JWSAlgorithm.ES256), new ECDSAVerifier(ec), clock);
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable public key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("the public key must be RSA or EC, not " + key.getAlgorithm());
    }

    private static PublicKey parsePublicKey(String pem) {
        Matcher block = PEM_BLOCK.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("no PEM public key found (-----BEGIN PUBLIC KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM public key is not valid base64", e);
        }
        try {
            switch (block.group(1)) {
                case "PUBLIC KEY":
                    for (String algorithm : List.of("RSA", "EC")) {
                        try {
                            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
                        } catch (InvalidKeySpecException notThisAlgorithm) {
                            // try the next one
                        }
                    }
                    throw new IllegalArgumentException("the PEM public key is neither RSA nor EC");
                case "CERTIFICATE":
                    return CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                default:
                    throw new IllegalArgumentException("unsupported PEM object " + block.group(1)
                            + "; use a PUBLIC KEY (SubjectPublicKeyInfo) or a CERTIFICATE");
            }
        } catch (NoSuchAlgorithmException | CertificateException e) {
            throw new IllegalArgumentException("unusable public key: " + e.getMessage(), e);
        }
    }

    @Override
    public Result authenticate(Optional<String> bearerToken, Optional<String> user, Optional<String> name) {
        if (bearerToken.isEmpty() || bearerToken.get().isBlank()) {
            return new Rejected("missing token");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(bearerToken.get());
            if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
                return new Rejected("token algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted");
            }
            if (!jwt.verify(verifier)) {
                return new Rejected("bad token signature");
            }
            return principalOf(jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            return new Rejected("malformed token");
        } catch (JOSEException e) {
            return new Rejected("token cannot be verified");
        }
    }

    private Result principalOf(JWTClaimsSet claims) throws ParseException {
        Date expires = claims.getExpirationTime();
        long now = clock.millis();
        if (expires != null && expires.getTime() + LEEWAY_MILLIS < now) {
            return new Rejected("token expired");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.getTime() - LEEWAY_MILLIS > now) {
            return new Rejected("token not valid yet");
        }
        Validated<UserId> id = UserId.parse(claims.getSubject());
        if (id instanceof Validated.Invalid<UserId> invalid) {
            return new Rejected("token sub: " + invalid.message());
        }
        Object nameClaim = claims.getClaim("name");
        String name = nameClaim instanceof String s ? s : id.value().value();
        List<String> rooms = new ArrayList<>();
        Object roomsClaim = claims.getClaim("rooms");
        if (roomsClaim instanceof List<?> list) {
            for (Object pattern : list) {
                if (pattern instanceof String s) {
                    rooms.add(s);
                }
            }
        } else if (roomsClaim != null) {
            return new Rejected("token rooms claim must be an array of strings");
        }
        Principal principal = new Principal(User.withDisplayName(id.value(), name), new RoomGrants(rooms));
        return new Authenticated(principal,
                expires == null ? OptionalLong.empty() : OptionalLong.of(expires.getTime() + LEEWAY_MILLIS));
    }

    @Override
    public String mode() {
        return "jwt " + algorithms.iterator().next();
    }

}
