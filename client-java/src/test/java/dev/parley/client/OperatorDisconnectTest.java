package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.domain.Backoff;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Close code 4003 (an operator disconnected the user: stay closed, docs/protocol.md section 9)
 * on demand: a minimal WebSocket server that welcomes every connection and closes it with 4003.
 */
class OperatorDisconnectTest {
    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");

    private final AtomicInteger handshakes = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private ServerSocket server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private URI start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    sockets.add(socket);
                    serve(socket);
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws");
    }

    private void serve(Socket socket) throws IOException {
        Matcher key = KEY.matcher(readHead(socket.getInputStream()));
        if (!key.find()) {
            socket.close();
            return;
        }
        handshakes.incrementAndGet();
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] welcome = ("{\"type\":\"welcome\",\"payload\":{\"connectionId\":\"c1\",\"user\":{\"id\":\"uma\","
                + "\"name\":\"Uma\"},\"node\":\"fake\",\"protocol\":1,\"heartbeat\":{\"intervalMs\":25000,"
                + "\"timeoutMs\":20000},\"limits\":{}},\"timestamp\":0}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.write(0x81);
        frames.write(126);
        frames.write(welcome.length >> 8);
        frames.write(welcome.length & 0xff);
        frames.write(welcome);
        byte[] reason = "disconnected by an operator".getBytes(StandardCharsets.UTF_8);
        frames.write(0x88);
        frames.write(reason.length + 2);
        frames.write(4003 >> 8);
        frames.write(4003 & 0xff);
        frames.write(reason);
        out.write(frames.toByteArray());
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                    .getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void given_a_connected_client_when_an_operator_disconnects_it_with_4003_then_it_stays_closed() throws Exception {
        URI uri = start();
        Recorder recorder = new Recorder();
        try (ParleyClient client = ParleyClient.builder(uri)
                .backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))).listener(recorder).build()) {

            client.connect().get(20, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.CLOSED);
            ConnectionEvent closed = recorder.events(ConnectionState.CLOSED).get(0);
            assertThat(closed.closeCode()).isEqualTo(4003);
            assertThat(closed.reason()).isEqualTo("disconnected by an operator");
            // and it stays down, while the backoff would have tried again many times
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> handshakes.get() == 1);
            assertThat(recorder.count(ConnectionState.RECONNECTING)).isZero();
        }
    }
}
