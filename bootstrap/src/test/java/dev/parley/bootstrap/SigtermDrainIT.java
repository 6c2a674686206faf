package dev.parley.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped jar as an operator runs it: {@code java -jar parley-server.jar}, stopped with
 * SIGTERM ({@link ProcessHandle#destroy()} sends SIGTERM on Linux). It drains: connected clients get
 * 1001, and the process exits 0. A failsafe test, so that it runs after {@code package}.
 */
class SigtermDrainIT {
    private static final Pattern LISTENING = Pattern.compile("Parley listening on http://127\\.0\\.0\\.1:(\\d+)/ws");

    private Process process;
    private Thread reader;
    private final StringBuffer output = new StringBuffer();

    @AfterEach
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private int startJar(String... flags) throws IOException {
        Path jar = Path.of(System.getProperty("parley.server.jar", "target/parley-server.jar"));
        assertThat(jar).as("the shaded jar, built by package").exists();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-jar", jar.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
        process = builder.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.append(line).append('\n');
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the server ended before listening:\n" + output));
        }, "parley-server-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the server did not start listening; its output:\n" + output, e);
        }
    }

    @Test
    void given_the_jar_running_with_clients_when_sent_sigterm_then_clients_get_1001_and_it_exits_0_within_10_s()
            throws Exception {
        int port = startJar("--port", "0", "--jwt-secret", Tokens.SECRET, "--node-id", "sigterm-node");
        try (TestClient alice = TestClient.connect(port, Tokens.of("alice"));
             TestClient bob = TestClient.connect(port, Tokens.of("bob"))) {
            JsonNode welcome = alice.welcome();
            assertThat(welcome.get("payload").get("node").asText()).isEqualTo("sigterm-node");
            alice.join("lobby");
            bob.join("lobby");
            alice.chat("lobby", "before the signal");
            bob.awaitSeq("lobby", 1);

            long signalled = System.nanoTime();
            // SIGTERM on Linux. Through the handle: Process.destroy() would also close our end of
            // the server's stdout at once, and the drain's log lines would be lost.
            assertThat(process.toHandle().destroy()).isTrue();

            assertThat(alice.awaitCloseCode()).isEqualTo(1001);
            assertThat(bob.awaitCloseCode()).isEqualTo(1001);
            assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s; output:\n%s", output).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled)).isLessThan(10);
            assertThat(process.exitValue()).as("exit code; output:\n%s", output).isZero();
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(output.toString()).contains("draining: closing 2 connections with 1001", "server stopped");
    }

    @Test
    void given_the_jar_with_a_too_short_jwt_secret_when_started_then_it_exits_non_zero_saying_why() throws Exception {
        Path jar = Path.of(System.getProperty("parley.server.jar", "target/parley-server.jar"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", "0", "--jwt-secret", "too-short").redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PARLEY_"));
        process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isNotZero();
        assertThat(text).contains("32");
    }
}
