package dev.parley.adapters.websocket.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.parley.adapters.websocket.ServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PemTls}: an {@link SSLContext} from PEM files made by the {@code openssl} command
 * line. Where {@code openssl} is not installed, the tests that need it are skipped (assumption).
 */
class PemTlsTest {
    private static boolean opensslAvailable;

    @TempDir
    Path dir;

    @BeforeAll
    static void findOpenssl() {
        try {
            Process version = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            opensslAvailable = version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            opensslAvailable = false;
        }
    }

    private static void openssl(Path workDir, String... args) throws Exception {
        Assumptions.assumeTrue(opensslAvailable, "the openssl command line is not installed");
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("openssl finished").isTrue();
        assertThat(process.exitValue()).as("openssl %s: %s", command, output).isZero();
    }

    /** A self-signed certificate for localhost and its key; openssl 3 writes the key as PKCS#8. */
    private TlsFiles selfSigned(String... keyOptions) throws Exception {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-keyout", "key.pem", "-out", "cert.pem"));
        args.addAll(List.of(keyOptions));
        openssl(dir, args.toArray(String[]::new));
        return new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** Makes a real TLS handshake against the context and returns the certificate chain the server showed. */
    private static Certificate[] handshake(SSLContext server, X509Certificate trusted) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trustManagers.getTrustManagers(), null);

        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                loopback)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listener.accept()) {
                    accepted.setSoTimeout(10_000);
                    accepted.getOutputStream().write('!');
                    accepted.getOutputStream().flush();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Certificate[] shown;
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(loopback,
                    listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                assertThat(socket.getInputStream().read()).isEqualTo('!');
                shown = socket.getSession().getPeerCertificates();
            }
            served.get(10, TimeUnit.SECONDS);
            return shown;
        }
    }

    @Test
    void given_self_signed_rsa_certificate_and_pkcs_8_key_when_building_the_context_then_it_serves_that_certificate()
            throws Exception {
        TlsFiles files = selfSigned("-newkey", "rsa:2048");
        assertThat(Files.readString(files.privateKey())).contains("-----BEGIN PRIVATE KEY-----");

        SSLContext context = PemTls.context(files);

        assertThat(handshake(context, certificate(files.certificateChain())))
                .containsExactly(certificate(files.certificateChain()));
    }

    @Test
    void given_self_signed_ec_certificate_and_pkcs_8_key_when_building_the_context_then_it_serves_that_certificate()
            throws Exception {
        TlsFiles files = selfSigned("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");

        SSLContext context = PemTls.context(files);

        assertThat(handshake(context, certificate(files.certificateChain())))
                .containsExactly(certificate(files.certificateChain()));
    }

    @Test
    void given_leaf_and_ca_certificates_in_the_chain_file_when_building_the_context_then_the_whole_chain_is_served()
            throws Exception {
        openssl(dir, "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=Parley Test CA", "-newkey", "rsa:2048",
                "-keyout", "ca-key.pem", "-out", "ca.pem");
        openssl(dir, "req", "-new", "-nodes", "-subj", "/CN=localhost", "-newkey", "rsa:2048",
                "-keyout", "leaf-key.pem", "-out", "leaf.csr");
        openssl(dir, "x509", "-req", "-days", "2", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", "leaf.pem");
        Path chain = Files.writeString(dir.resolve("chain.pem"),
                Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));
        X509Certificate ca = certificate(dir.resolve("ca.pem"));

        SSLContext context = PemTls.context(new TlsFiles(chain, dir.resolve("leaf-key.pem")));

        assertThat(handshake(context, ca)).containsExactly(certificate(dir.resolve("leaf.pem")), ca);
    }

    @Test
    void given_key_file_with_cr_lf_line_ends_when_building_the_context_then_accepted() throws Exception {
        TlsFiles files = selfSigned("-newkey", "rsa:2048");
        Files.writeString(files.privateKey(), Files.readString(files.privateKey()).replace("\n", "\r\n"));

        assertThat(PemTls.context(files)).isNotNull();
    }

    @Test
    void given_traditional_rsa_key_without_pkcs_8_block_when_building_the_context_then_clear_error_naming_the_fix()
            throws Exception {
        TlsFiles files = selfSigned("-newkey", "rsa:2048");
        openssl(dir, "rsa", "-in", "key.pem", "-traditional", "-out", "key-traditional.pem");
        Path traditional = dir.resolve("key-traditional.pem");
        assertThat(Files.readString(traditional)).contains("-----BEGIN RSA PRIVATE KEY-----");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemTls.context(new TlsFiles(files.certificateChain(), traditional)))
                .withMessageContaining(traditional.toString())
                .withMessageContaining("PKCS#8")
                .withMessageContaining("openssl pkcs8 -topk8");
    }

    @Test
    void given_sec_1_ec_key_without_pkcs_8_block_when_building_the_context_then_clear_error() throws Exception {
        TlsFiles files = selfSigned("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        openssl(dir, "ec", "-in", "key.pem", "-out", "key-sec1.pem");
        Path sec1 = dir.resolve("key-sec1.pem");
        assertThat(Files.readString(sec1)).contains("-----BEGIN EC PRIVATE KEY-----");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemTls.context(new TlsFiles(files.certificateChain(), sec1)))
                .withMessageContaining("PKCS#8");
    }

    @Test
    void given_key_file_holding_only_the_certificate_when_building_the_context_then_clear_error() throws Exception {
        TlsFiles files = selfSigned("-newkey", "rsa:2048");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemTls.context(new TlsFiles(files.certificateChain(),
                        files.certificateChain())))
                .withMessageContaining("PKCS#8");
    }

    @Test
    void given_pkcs_8_block_that_is_not_a_key_when_building_the_context_then_clear_error() throws Exception {
        TlsFiles files = selfSigned("-newkey", "rsa:2048");
        Path bogus = dir.resolve("bogus.pem");
        Files.writeString(bogus, "-----BEGIN PRIVATE KEY-----\nAAECAwQFBgcICQ==\n-----END PRIVATE KEY-----\n");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> PemTls.context(new TlsFiles(files.certificateChain(), bogus)))
                .withMessageContaining("neither an RSA nor an EC private key");
    }

    @Test
    void given_missing_certificate_file_when_building_the_context_then_illegal_argument() {
        TlsFiles files = new TlsFiles(dir.resolve("absent.pem"), dir.resolve("key.pem"));

        assertThatIllegalArgumentException().isThrownBy(() -> PemTls.context(files))
                .withMessageContaining("cannot use the TLS certificate and key");
    }

    @Test
    void given_empty_certificate_file_when_building_the_context_then_illegal_argument() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "");
        Path key = Files.writeString(dir.resolve("key.pem"), "");

        assertThatIllegalArgumentException().isThrownBy(() -> PemTls.context(new TlsFiles(empty, key)))
                .withMessageContaining("no certificate in " + empty);
    }

    @Test
    void given_missing_key_file_when_building_the_context_then_illegal_argument() throws Exception {
        TlsFiles files = selfSigned("-newkey", "rsa:2048");

        assertThatIllegalArgumentException().isThrownBy(() -> PemTls.context(
                new TlsFiles(files.certificateChain(), dir.resolve("absent-key.pem"))))
                .withMessageContaining("cannot use the TLS certificate and key")
                .withMessageContaining("absent-key.pem");
    }
}
