package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.domain.Backoff;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reconnect timing, close codes and dead connections (docs/protocol.md sections 8 and 9). */
class ReconnectTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T resource) {
        toClose.add(resource);
        return resource;
    }

    @Test
    void given_a_seeded_random_when_every_attempt_fails_then_the_waits_are_exponential_with_full_jitter()
            throws Exception {
        // A "server" that answers every handshake 503, as a draining or full node does.
        ServerSocket refuser = closing(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        List<Long> acceptedAtNanos = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (!refuser.isClosed()) {
                try (Socket socket = refuser.accept()) {
                    acceptedAtNanos.add(System.nanoTime());
                    readRequestHead(socket);
                    socket.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the next one
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        Backoff backoff = new Backoff(Duration.ofMillis(40), 2.0, Duration.ofMillis(400));
        Recorder recorder = new Recorder();
        ParleyClient client = closing(ParleyClient.builder(URI.create("ws://127.0.0.1:" + refuser.getLocalPort() + "/ws"))
                .backoff(backoff).random(new SplittableRandom(42)).listener(recorder).build());

        client.connect();
        await().atMost(Duration.ofSeconds(20)).until(() -> acceptedAtNanos.size() >= 8
                && recorder.count(ConnectionState.RECONNECTING) >= 7);
        client.close();

        SplittableRandom sameSeed = new SplittableRandom(42);
        List<Duration> expected = new ArrayList<>();
        for (int attempt = 0; attempt < 7; attempt++) {
            expected.add(backoff.delay(attempt, sameSeed));
        }
        List<ConnectionEvent> waits = recorder.events(ConnectionState.RECONNECTING).subList(0, 7);
        assertThat(waits.stream().map(ConnectionEvent::retryIn).collect(Collectors.toList())).isEqualTo(expected);
        assertThat(waits.stream().map(ConnectionEvent::attempt).collect(Collectors.toList()))
                .containsExactly(1, 2, 3, 4, 5, 6, 7);
        for (int i = 0; i < 7; i++) {
            Duration ceiling = backoff.ceiling(i);
            assertThat(expected.get(i)).isBetween(Duration.ZERO, ceiling);
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(acceptedAtNanos.get(i + 1) - acceptedAtNanos.get(i));
            assertThat(gapMillis).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(expected.get(i).toMillis());
        }
    }

    private static void readRequestHead(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Test
    void given_a_connection_that_stayed_up_for_the_stable_period_when_it_drops_then_the_backoff_starts_over()
            throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        TestServer server = closing(TestServer.notStarted(port));
        Recorder recorder = new Recorder();
        ParleyClient client = closing(ParleyClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws"))
                .backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(200)))
                .stablePeriod(Duration.ofMillis(300)).random(new SplittableRandom(7)).listener(recorder).build());
        client.connect();
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count(ConnectionState.RECONNECTING) >= 4);

        server.startAgain();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.CONNECTED);
        int failedBefore = recorder.events(ConnectionState.RECONNECTING).size();
        ConnectionEvent lastFailure = recorder.events(ConnectionState.RECONNECTING).get(failedBefore - 1);
        assertThat(lastFailure.attempt()).isGreaterThanOrEqualTo(4);
        // stay up past the stable period, then lose the connection
        await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5))
                .until(() -> client.state() == ConnectionState.CONNECTED);
        server.stop();

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count(ConnectionState.RECONNECTING) > failedBefore);
        ConnectionEvent afterStable = recorder.events(ConnectionState.RECONNECTING).get(failedBefore);
        assertThat(afterStable.closeCode()).isEqualTo(1001);
        assertThat(afterStable.attempt()).isEqualTo(1);
        assertThat(afterStable.retryIn()).isLessThanOrEqualTo(Duration.ofMillis(20));
    }

    @Test
    void given_a_client_that_broke_the_rules_when_the_server_closes_with_1008_then_it_does_not_reconnect()
            throws Exception {
        TestServer server = closing(TestServer.start());
        Recorder recorder = new Recorder();
        ParleyClient client = closing(ParleyClient.builder(server.ws()).devUser("mallory", "Mallory")
                .backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))).listener(recorder).build());
        client.connect().get(20, TimeUnit.SECONDS);

        // chat to a room not joined: not_member, over and over (more than 20 errors in 10 s)
        List<CompletableFuture<ChatAck>> refused = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            refused.add(client.send("not-joined", "spam " + i));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> client.state() == ConnectionState.CLOSED);
        ConnectionEvent closed = recorder.events(ConnectionState.CLOSED).get(0);
        assertThat(closed.closeCode()).isEqualTo(1008);
        ExecutionException notMember = Assertions.catchThrowableOfType(() -> refused.get(0).get(20, TimeUnit.SECONDS),
                ExecutionException.class);
        assertThat(((ParleyException) notMember.getCause()).code()).isEqualTo("not_member");
        await().atMost(Duration.ofSeconds(20)).until(() -> refused.stream().allMatch(CompletableFuture::isDone));
        // and it stays down: no new attempt while the server would gladly accept one
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> recorder.count(ConnectionState.CONNECTING) == 1 && server.openConnections() == 0);
        assertThat(recorder.count(ConnectionState.RECONNECTING)).isZero();
        ExecutionException afterwards = Assertions.catchThrowableOfType(
                () -> client.send("lobby", "too late").get(20, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(((ParleyException) afterwards.getCause()).code()).isEqualTo("closed");
    }

    @Test
    void given_a_connection_that_went_silent_when_no_pong_comes_within_the_timeout_then_the_client_reconnects()
            throws Exception {
        TestServer server = closing(TestServer.start("--heartbeat-interval-ms", "500", "--heartbeat-timeout-ms", "1000"));
        FreezingProxy proxy = closing(new FreezingProxy(server.port()));
        Recorder recorder = new Recorder();
        ParleyClient client = closing(ParleyClient.builder(URI.create("ws://127.0.0.1:" + proxy.port() + "/ws"))
                .devUser("carol", "Carol").backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100)))
                .listener(recorder).build());
        client.connect().get(20, TimeUnit.SECONDS);
        client.join("lobby").get(20, TimeUnit.SECONDS);

        proxy.freezeAll();
        CompletableFuture<ChatAck> sentWhileFrozen = client.send("lobby", "are you there?");

        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.count(ConnectionState.RECONNECTING) == 1);
        ConnectionEvent lost = recorder.events(ConnectionState.RECONNECTING).get(0);
        assertThat(lost.closeCode()).isEqualTo(1006);
        assertThat(lost.reason()).contains("no pong within 1000 ms");
        assertThat(sentWhileFrozen.get(20, TimeUnit.SECONDS).seq()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.texts().equals(List.of("are you there?")));
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void given_a_refused_token_when_the_handshake_answers_401_then_the_refresher_supplies_a_new_one_and_the_client_connects()
            throws Exception {
        String secret = "a-test-secret-of-at-least-32-bytes!!";
        TestServer server = closing(TestServer.start("--jwt-secret", secret));
        Recorder recorder = new Recorder();
        java.util.concurrent.atomic.AtomicInteger refreshed = new java.util.concurrent.atomic.AtomicInteger();
        ParleyClient client = closing(ParleyClient.builder(server.ws())
                .token(hs256("a-different-secret-also-32-bytes-long", "tom", "Tom"))
                .tokenRefresher(() -> {
                    refreshed.incrementAndGet();
                    return CompletableFuture.completedFuture(hs256(secret, "tom", "Tom"));
                })
                .backoff(new Backoff(Duration.ofMillis(20), 2.0, Duration.ofMillis(100))).listener(recorder).build());

        client.connect().get(20, TimeUnit.SECONDS);

        assertThat(client.user().orElseThrow().id().value()).isEqualTo("tom");
        assertThat(refreshed).hasValue(1);
        assertThat(recorder.events(ConnectionState.RECONNECTING).get(0).closeCode()).isEqualTo(401);
    }

    @Test
    void given_a_refused_token_and_no_refresher_when_the_handshake_answers_401_then_the_client_closes_for_good()
            throws Exception {
        TestServer server = closing(TestServer.start("--jwt-secret", "a-test-secret-of-at-least-32-bytes!!"));
        Recorder recorder = new Recorder();
        ParleyClient client = closing(ParleyClient.builder(server.ws())
                .token(hs256("a-different-secret-also-32-bytes-long", "tom", "Tom")).listener(recorder).build());

        ExecutionException refused = Assertions.catchThrowableOfType(() -> client.connect().get(20, TimeUnit.SECONDS),
                ExecutionException.class);

        assertThat(((ParleyException) refused.getCause()).code()).isEqualTo("closed");
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(recorder.count(ConnectionState.RECONNECTING)).isZero();
    }

    /** An HS256 JWT, as an identity provider would issue it. */
    private static String hs256(String secret, String sub, String name) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long exp = System.currentTimeMillis() / 1000 + 3600;
        String payload = b64.encodeToString(("{\"sub\":\"" + sub + "\",\"name\":\"" + name + "\",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac;
        try {
            mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        return header + "." + payload + "." + signature;
    }

    @Test
    void given_a_connected_client_when_the_application_closes_it_then_the_server_releases_the_connection()
            throws Exception {
        TestServer server = closing(TestServer.start());
        Recorder recorder = new Recorder();
        ParleyClient client = ParleyClient.builder(server.ws()).devUser("kim", "Kim").listener(recorder).build();
        client.connect().get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections() == 1);

        client.close();

        await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections() == 0);
        assertThat(recorder.events(ConnectionState.CLOSED).get(0).closeCode()).isEqualTo(1000);
        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    }
}
