package dev.parley.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

import dev.parley.domain.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeDirectory} adapter must do: keep each node's latest report for the TTL
 * it was made with, drop it at once when the node is forgotten. Extend it once per adapter.
 * Node ids are unique per test, so the suite may run against a shared server.
 */
public abstract class NodeDirectoryContract {
    protected static final Duration TTL = Duration.ofMillis(1_500);

    /** The adapter under test, keeping reports for {@link #TTL}; called once per test. */
    protected abstract NodeDirectory createDirectory();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private NodeId node(String name) {
        return NodeId.of(name + "-" + run);
    }

    private static NodeReport report(NodeId node, int connections, Optional<AckLatency> ack) {
        return new NodeReport(node, Instant.now().truncatedTo(ChronoUnit.MILLIS), connections, 2, 12.5, 250.25, ack);
    }

    private List<NodeReport> ours(NodeDirectory directory) {
        return await(directory.nodes()).stream().filter(report -> report.node().value().endsWith(run)).toList();
    }

    @Test
    void given_two_nodes_that_report_when_listed_then_each_latest_report_comes_back_whole() {
        NodeDirectory directory = createDirectory();
        NodeReport a = report(node("a"), 3, Optional.of(new AckLatency(1.25, 9.5)));
        NodeReport b = report(node("b"), 0, Optional.empty());
        await(directory.report(report(a.node(), 1, Optional.empty())));
        await(directory.report(a));
        await(directory.report(b));

        assertThat(ours(directory)).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void given_a_node_forgotten_or_silent_past_the_ttl_when_listed_then_it_is_gone() {
        NodeDirectory directory = createDirectory();
        NodeId kept = node("kept");
        NodeId forgotten = node("forgotten");
        NodeId silent = node("silent");
        await(directory.report(report(forgotten, 1, Optional.empty())));
        await(directory.report(report(silent, 1, Optional.empty())));
        await(directory.forget(forgotten));

        assertThat(ours(directory)).extracting(NodeReport::node).containsExactly(silent);
        Awaitility.await().atMost(TTL.multipliedBy(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            await(directory.report(report(kept, 1, Optional.empty())));
            assertThat(ours(directory)).extracting(NodeReport::node).containsExactly(kept);
        });
    }

    protected <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the node directory did not answer within 10 s", e);
        }
    }
}
