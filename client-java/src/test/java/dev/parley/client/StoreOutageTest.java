package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.application.testing.TcpProxy;
import dev.parley.domain.Backoff;
import dev.parley.testsupport.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md section 6: {@code unavailable} is not the client's fault, so a client that
 * retries its chats through a PostgreSQL outage is answered {@code unavailable} as often as it
 * asks and is never closed for it; once the database is back each chat is stored exactly once.
 */
class StoreOutageTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1));
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final int CHATS = 50;
    private static final Pattern UNAVAILABLE_ANSWERS =
            Pattern.compile("(?m)^parley_errors_total\\{[^}]*code=\"unavailable\"[^}]*} ([0-9.E]+)");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final String schema = "parley_test_outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    private String databaseUrl;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (databaseUrl != null) {
            try (Connection connection = DriverManager.getConnection(databaseUrl);
                 PreparedStatement drop = connection.prepareStatement("DROP SCHEMA IF EXISTS " + schema + " CASCADE")) {
                drop.execute();
            }
        }
    }

    @Test
    void given_fifty_chats_sent_during_a_five_second_postgres_outage_when_the_client_retries_them_then_it_is_never_closed_and_each_is_stored_once()
            throws Exception {
        databaseUrl = TestServices.postgresUrl();
        TcpProxy database = TcpProxy.to(databaseUrl, 5432).start();
        toClose.add(database);
        String throughProxy = database.redirect(databaseUrl) + (databaseUrl.contains("?") ? "&" : "?")
                + "currentSchema=" + schema;
        TestServer server = TestServer.start("--postgres-url", throughProxy, "--admin-key", "outage-test-key");
        toClose.add(server);
        Recorder heard = new Recorder();
        ParleyClient client = ParleyClient.builder(server.ws()).devUser("writer", "Writer").backoff(FAST)
                .listener(heard).build();
        toClose.add(client);
        client.connect().get(20, TimeUnit.SECONDS);
        client.join("outage").get(20, TimeUnit.SECONDS);
        client.send("outage", "before the outage").get(20, TimeUnit.SECONDS);

        database.stop();
        List<CompletableFuture<ChatAck>> acks = new ArrayList<>();
        for (int i = 1; i <= CHATS; i++) {
            acks.add(client.send("outage", "during the outage " + i));
        }
        // The outage lasts this long whatever happens meanwhile: it is the scenario, not a wait for a result.
        Thread.sleep(OUTAGE.toMillis());
        double unavailableAnswers = unavailableAnswers(server);
        database.start();

        for (CompletableFuture<ChatAck> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
        assertThat(unavailableAnswers).as("unavailable answers during the outage").isGreaterThan(20);
        assertThat(heard.connection).as("connection events").extracting(ConnectionEvent::state)
                .containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        try (Connection connection = DriverManager.getConnection(databaseUrl);
             PreparedStatement stored = connection.prepareStatement(
                     "SELECT count(*), count(DISTINCT text), max(seq) FROM " + schema + ".messages WHERE room = 'outage'");
             ResultSet row = stored.executeQuery()) {
            row.next();
            assertThat(row.getLong(1)).as("messages stored").isEqualTo(CHATS + 1);
            assertThat(row.getLong(2)).as("distinct texts").isEqualTo(CHATS + 1);
            assertThat(row.getLong(3)).as("last seq").isEqualTo(CHATS + 1);
        }
    }

    private static double unavailableAnswers(TestServer server) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher matcher = UNAVAILABLE_ANSWERS.matcher(metrics.body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
