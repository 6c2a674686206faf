package dev.parley.bootstrap;

import static dev.parley.bootstrap.E2E.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md section 7 over raw sockets: request heads over 16 KiB of headers are refused
 * with 431 before the token is looked at, heads that do not arrive within 10 s are dropped,
 * and {@code insecure-dev} accepts handshakes only under loopback host names.
 */
class HttpHardeningE2ETest {
    private static final int KIB = 1024;

    private static RunningServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = E2E.start("--heartbeat-interval-ms", "60000");
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A WebSocket handshake of a valid user, padded with {@code padding} bytes of extra headers. */
    private static String handshake(int padding) {
        return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + Tokens.of(user("padded")) + "\r\n" + padding(padding) + "\r\n";
    }

    private static String padding(int bytes) {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; headers.length() < bytes; i++) {
            headers.append("X-Padding-").append(i).append(": ").append("p".repeat(200)).append("\r\n");
        }
        return headers.toString();
    }

    /** Sends {@code request} and returns the status line of the answer ("" when the server just closed). */
    private static String statusLine(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (SocketException closedWhileWriting) {
                // The server answered and closed before taking the whole request: read its answer.
            }
            return readLine(socket.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void given_a_handshake_with_more_than_16_ki_b_of_headers_when_sent_then_431_and_no_upgrade() throws IOException {
        assertThat(statusLine(handshake(17 * KIB))).startsWith("HTTP/1.1 431");
        assertThat(statusLine(handshake(200 * KIB))).startsWith("HTTP/1.1 431");
    }

    @Test
    void given_a_handshake_just_under_16_ki_b_of_headers_when_sent_then_it_upgrades() throws IOException {
        assertThat(statusLine(handshake(15 * KIB))).startsWith("HTTP/1.1 101");
    }

    @Test
    void given_a_plain_request_over_the_limit_when_sent_then_431_even_after_a_first_request_on_the_connection()
            throws IOException {
        assertThat(statusLine("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + padding(20 * KIB) + "\r\n"))
                .startsWith("HTTP/1.1 431");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(in)).startsWith("HTTP/1.1 200");
            String length = "";
            for (String header = readLine(in); !header.isEmpty(); header = readLine(in)) {
                if (header.toLowerCase().startsWith("content-length:")) {
                    length = header.substring("content-length:".length()).trim();
                }
            }
            in.readNBytes(Integer.parseInt(length));
            out.write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + padding(20 * KIB) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readLine(in)).as("the second request of a kept-alive connection").startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void given_a_head_that_stalls_or_never_starts_when_10_s_pass_then_the_server_drops_it_and_upgraded_sockets_stay()
            throws IOException {
        try (TestClient upgraded = TestClient.connect(port, Tokens.of(user("quiet")));
             Socket stalled = new Socket("127.0.0.1", port);
             Socket silent = new Socket("127.0.0.1", port)) {
            upgraded.welcome();
            stalled.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            await().atMost(Duration.ofSeconds(25)).until(() -> isClosedByServer(stalled) && isClosedByServer(silent));

            assertThat(TestClient.type(upgraded.request("ping", Map.of()))).isEqualTo("pong");
        }
    }

    private static boolean isClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(200);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Test
    void given_insecure_dev_when_host_or_origin_is_not_a_loopback_name_then_403_and_loopback_names_pass() {
        try (RunningServer dev = RunningServer.start(ParleyConfig.fromArgs("--port", "0", "--node-id", E2E.NODE))) {
            int devPort = dev.port();
            assertThat(rawHandshake(devPort, "rebind.example:" + devPort, null)).startsWith("HTTP/1.1 403");
            assertThat(rawHandshake(devPort, "127.0.0.1:" + devPort, "http://rebind.example:" + devPort))
                    .startsWith("HTTP/1.1 403");
            assertThat(rawHandshake(devPort, "rebind.example:" + devPort, "http://rebind.example:" + devPort))
                    .startsWith("HTTP/1.1 403");
            assertThat(rawHandshake(devPort, "127.0.0.1:" + devPort, null)).startsWith("HTTP/1.1 101");
            assertThat(rawHandshake(devPort, "localhost:" + devPort, "http://localhost:5173")).startsWith("HTTP/1.1 101");
            assertThat(rawHandshake(devPort, "[::1]:" + devPort, "http://[::1]:" + devPort)).startsWith("HTTP/1.1 101");
        }
    }

    private static String rawHandshake(int devPort, String host, String origin) {
        String request = "GET /ws?user=dev HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        try (Socket socket = new Socket("127.0.0.1", devPort)) {
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return readLine(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
