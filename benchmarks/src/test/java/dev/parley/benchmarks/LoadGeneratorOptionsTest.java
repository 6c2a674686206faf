package dev.parley.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadGeneratorOptionsTest {
    private static final URI A = URI.create("ws://127.0.0.1:18091/ws");
    private static final URI B = URI.create("ws://127.0.0.1:18092/ws");

    private static LoadGenerator.Publish publish(String... args) {
        CommandLine.ParseResult result = LoadGenerator.commandLine().parseArgs(args);
        return (LoadGenerator.Publish) result.subcommand().commandSpec().userObject();
    }

    @Test
    void given_the_scenario_steps_when_a_later_rates_follows_then_it_replaces_them() {
        LoadGenerator.Publish publish = publish("publish", "--rates", "10,25,50,75", "--step-seconds", "10",
                "--rates", "50", "--step-seconds", "30");

        assertThat(LoadGenerator.parseRates(publish.rates)).containsExactly(50);
        assertThat(publish.stepSeconds).isEqualTo(30);
    }

    @Test
    void given_no_rates_when_parsed_then_the_default_steps_apply() {
        assertThat(LoadGenerator.parseRates(publish("publish").rates)).containsExactly(10, 50, 100);
    }

    @Test
    void given_bad_rates_when_parsed_then_they_are_refused() {
        assertThatThrownBy(() -> LoadGenerator.parseRates("10,0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadGenerator.parseRates(",")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadGenerator.parseRates("ten")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void given_several_urls_when_parsed_then_each_is_kept_in_order() {
        LoadGenerator.Publish publish = publish("publish", "--url", A + ", " + B, "--publisher-url", B.toString());

        assertThat(publish.urls()).containsExactly(A, B);
        assertThat(LoadGenerator.parseUrls(publish.publisherUrl)).containsExactly(B);
    }

    @Test
    void given_a_url_off_loopback_when_parsed_then_it_is_refused() {
        assertThatThrownBy(() -> LoadGenerator.parseUrls(A + ",ws://example.com/ws"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    @Test
    void given_one_url_when_assigned_then_every_connection_goes_there() {
        assertThat(LoadGenerator.assignUrls(100, 10, List.of(A), A)).hasSize(100).containsOnly(A);
    }

    @Test
    void given_publishers_on_a_and_members_on_b_when_assigned_then_exactly_the_publishing_connections_are_on_a() {
        List<URI> targets = LoadGenerator.assignUrls(1000, 20, List.of(B), A);

        for (int k = 0; k < 20; k++) {
            assertThat(targets.get(LoadGenerator.Publish.publisherIndex(k, 20, 1000))).isEqualTo(A);
        }
        assertThat(Collections.frequency(targets, A)).isEqualTo(20);
        assertThat(Collections.frequency(targets, B)).isEqualTo(980);
    }

    @Test
    void given_two_member_urls_when_assigned_then_the_members_alternate_between_them() {
        List<URI> targets = LoadGenerator.assignUrls(1000, 20, List.of(A, B), A);
        Map<URI, Long> perUrl = targets.stream().collect(Collectors.groupingBy(Function.identity(),
                Collectors.counting()));

        assertThat(perUrl).containsEntry(A, 20L + 490L).containsEntry(B, 490L);
        assertThat(targets.subList(1, 5)).containsExactly(A, B, A, B);
    }

    @Test
    void given_more_publishers_than_connections_when_assigned_then_all_connect_to_the_publisher_url() {
        assertThat(LoadGenerator.assignUrls(5, 10, List.of(B), A)).containsOnly(A);
    }

    @Test
    void given_also_sample_when_parsed_then_labels_keep_their_order_and_pids_are_summed() {
        Map<String, List<ProcessSampler>> samples = LoadGenerator.Publish.parseSamples("redis=12,postgres=3+4+5");

        assertThat(samples.keySet()).containsExactly("redis", "postgres");
        assertThat(samples.get("postgres")).hasSize(3);
        assertThat(LoadGenerator.Publish.parseSamples(null)).isEmpty();
        assertThatThrownBy(() -> LoadGenerator.Publish.parseSamples("redis")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LoadGenerator.Publish.parseSamples("redis=x")).isInstanceOf(NumberFormatException.class);
    }
}
