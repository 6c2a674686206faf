package dev.parley.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.testsupport.TestServices.Service;
import dev.parley.testsupport.TestServices.Source;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The resolution order, each branch decided on injected inputs; no Docker engine is needed. */
class TestServicesTest {
    private static final String VARIABLE = "PARLEY_TEST_THING_URL";
    private static final String DEFAULT = "thing://127.0.0.1:1";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger containersStarted = new AtomicInteger();

    private Service thing(boolean answers) {
        return thing(url -> answers);
    }

    private Service thing(Predicate<String> answers) {
        return new Service("Thing", VARIABLE, DEFAULT, url -> {
            probes.incrementAndGet();
            return answers.test(url);
        }, () -> "thing://container:" + containersStarted.incrementAndGet());
    }

    private TestServices services(Map<String, String> environment, boolean docker) {
        return new TestServices(environment, () -> docker,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @Test
    void given_variable_set_when_resolved_then_it_wins_without_probing_or_docker() {
        TestServices services = services(Map.of(VARIABLE, "thing://elsewhere:7"), true);

        assertThat(services.url(thing(true))).isEqualTo("thing://elsewhere:7");
        assertThat(probes).hasValue(0);
        assertThat(containersStarted).hasValue(0);
    }

    @Test
    void given_blank_variable_and_answering_default_when_resolved_then_the_local_default_is_used() {
        TestServices services = services(Map.of(VARIABLE, " "), true);
        Service thing = thing(true);

        assertThat(services.choose(thing).source()).isEqualTo(Source.LOCAL);
        assertThat(services.url(thing)).isEqualTo(DEFAULT);
        assertThat(containersStarted).hasValue(0);
    }

    @Test
    void given_silent_default_and_docker_when_resolved_twice_then_one_container_serves_both() {
        TestServices services = services(Map.of(), true);
        Service thing = thing(false);

        assertThat(services.choose(thing).source()).isEqualTo(Source.DOCKER);
        assertThat(services.url(thing)).isEqualTo("thing://container:1");
        assertThat(services.url(thing)).isEqualTo("thing://container:1");
        assertThat(containersStarted).hasValue(1);
        assertThat(probes).hasValue(1);
    }

    @Test
    void given_nothing_and_ci_true_when_resolved_then_the_test_fails() {
        TestServices services = services(Map.of("CI", "true"), false);

        assertThatThrownBy(() -> services.url(thing(false)))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("no Thing for the tests")
                .hasMessageContaining("CI=true: failing instead of skipping");
    }

    @Test
    void given_nothing_when_resolved_ten_times_then_every_call_aborts_and_one_loud_line_is_printed() {
        TestServices services = services(Map.of("CI", "false"), false);
        Service thing = thing(false);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> services.url(thing)).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining(VARIABLE + " is not set, nothing answers at " + DEFAULT);
        }

        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .singleElement().asString().startsWith("!!! SKIPPED: no Thing for the tests");
        assertThat(probes).hasValue(1);
    }

    @Test
    void given_nothing_listening_on_the_port_when_probed_then_both_real_probes_say_no_within_their_timeout() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        long start = System.nanoTime();

        assertThat(TestServices.postgresAnswers("jdbc:postgresql://127.0.0.1:" + deadPort + "/test?user=postgres")).isFalse();
        assertThat(TestServices.redisAnswers("redis://127.0.0.1:" + deadPort)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void given_nothing_listening_on_the_default_when_resolved_with_the_real_probe_then_the_decision_falls_to_docker_or_none()
            throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        Service redis = new Service("Redis", "PARLEY_TEST_REDIS_URL", "redis://127.0.0.1:" + deadPort,
                TestServices::redisAnswers, () -> "redis://container:6379");

        assertThat(services(Map.of(), true).choose(redis).source()).isEqualTo(Source.DOCKER);
        assertThat(services(Map.of(), false).choose(redis).source()).isEqualTo(Source.NONE);
    }
}
