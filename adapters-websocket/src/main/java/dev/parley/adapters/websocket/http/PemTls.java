package dev.parley.adapters.websocket.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** An {@link SSLContext} from PEM files: a certificate chain and a PKCS#8 RSA or EC private key. */
public final class PemTls {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTls() {
    }

    public static SSLContext context(TlsFiles files) {
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(files.certificateChain())))
                    .toArray(Certificate[]::new);
            if (chain.length == 0) {
                throw new IllegalArgumentException("no certificate in " + files.certificateChain());
            }
            PrivateKey key = privateKey(files.privateKey());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("parley", key, password, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate and key: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Matcher pem = PKCS8.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new IllegalArgumentException(file + " holds no '-----BEGIN PRIVATE KEY-----' (PKCS#8) block; "
                    + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pkcs8");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException(file + " is neither an RSA nor an EC private key");
    }
}
