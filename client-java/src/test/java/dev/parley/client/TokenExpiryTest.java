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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Close code 4001 (token expired) on demand: a minimal WebSocket server that closes every
 * connection with 4001 unless its bearer token is "fresh", and welcomes that one.
 */
class TokenExpiryTest {
    private static final Pattern KEY = Pattern.compile("(?im)^Sec-WebSocket-Key:\\s*(\\S+)\\s*$");
    private static final Pattern BEARER = Pattern.compile("(?im)^Authorization:\\s*Bearer\\s+(\\S+)\\s*$");

    private final List<String> tokens = new CopyOnWriteArrayList<>();
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
        String head = readHead(socket.getInputStream());
        Matcher key = KEY.matcher(head);
        Matcher bearer = BEARER.matcher(head);
        String token = bearer.find() ? bearer.group(1) : "";
        tokens.add(token);
        if (!key.find()) {
            socket.close();
            return;
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (token.equals("fresh")) {
            byte[] welcome = ("{\"type\":\"welcome\",\"payload\":{\"connectionId\":\"c1\",\"user\":{\"id\":\"tom\","
                    + "\"name\":\"Tom\"},\"node\":\"fake\",\"protocol\":1,\"heartbeat\":{\"intervalMs\":25000,"
                    + "\"timeoutMs\":20000},\"limits\":{}},\"timestamp\":0}").getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x81);
            frame.write(126);
            frame.write(welcome.length >> 8);
            frame.write(welcome.length & 0xff);
            frame.write(welcome);
            out.write(frame.toByteArray());
        } else {
            byte[] reason = "token expired".getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x88);
            frame.write(reason.length + 2);
            frame.write(4001 >> 8);
            frame.write(4001 & 0xff);
            frame.write(reason);
            out.write(frame.toByteArray());
        }
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
            byte[] digest = sha1.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void given_an_expired_token_when_the_server_closes_with_4001_then_the_refresher_is_asked_and_the_client_reconnects_with_its_token()
            throws Exception {
        URI uri = start();
        AtomicInteger refreshed = new AtomicInteger();
        Recorder recorder = new Recorder();
        try (ParleyClient client = ParleyClient.builder(uri).token("stale")
                .tokenRefresher(() -> {
                    refreshed.incrementAndGet();
                    return CompletableFuture.completedFuture("fresh");
                })
                .backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))).listener(recorder).build()) {

            client.connect().get(20, TimeUnit.SECONDS);

            assertThat(tokens).containsExactly("stale", "fresh");
            assertThat(refreshed).hasValue(1);
            assertThat(client.user().orElseThrow().id().value()).isEqualTo("tom");
            assertThat(recorder.events(ConnectionState.RECONNECTING).get(0).closeCode()).isEqualTo(4001);
        }
    }

    @Test
    void given_no_refresher_when_the_server_closes_with_4001_then_the_client_closes_for_good() throws Exception {
        URI uri = start();
        Recorder recorder = new Recorder();
        try (ParleyClient client = ParleyClient.builder(uri).token("stale")
                .backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))).listener(recorder).build()) {

            ExecutionException closed = Assertions.catchThrowableOfType(() -> client.connect().get(20, TimeUnit.SECONDS),
                    ExecutionException.class);

            assertThat(((ParleyException) closed.getCause()).code()).isEqualTo("closed");
            await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count(ConnectionState.CLOSED) == 1);
            assertThat(recorder.events(ConnectionState.CLOSED).get(0).closeCode()).isEqualTo(4001);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> tokens.size() == 1);
        }
    }
}
