package dev.parley.adapters.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.application.port.out.AckLatency;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeReport;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.NodeId;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.params.SetParams;

/**
 * The cluster's node list in Redis: each node's report is a key that expires after the presence
 * TTL, listed in a set. Both keys carry the hash tag {@code {nodes}}, so that on a Redis Cluster
 * they sit on one shard and one {@code MGET} reads them all. A listed node whose report expired
 * (killed, say) is dropped from the set by whoever reads it next.
 */
public final class RedisNodeDirectory implements NodeDirectory, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeDirectory.class);

    private final RedisCommands redis;
    private final String listKey;
    private final String reportPrefix;
    private final Duration ttl;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService lane;

    public RedisNodeDirectory(RedisSettings settings) {
        this.redis = RedisCommands.connect(Objects.requireNonNull(settings, "settings"));
        this.listKey = settings.keyPrefix() + "{nodes}:reports";
        this.reportPrefix = settings.keyPrefix() + "{nodes}:report:";
        this.ttl = settings.presenceTtl();
        this.lane = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-redis-nodes");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public CompletableFuture<Void> report(NodeReport report) {
        String value = encode(report);
        return call(commands -> {
            commands.sadd(listKey, report.node().value());
            commands.set(reportPrefix + report.node().value(), value, SetParams.setParams().px(ttl.toMillis()));
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> forget(NodeId node) {
        return call(commands -> {
            commands.srem(listKey, node.value());
            commands.del(reportPrefix + node.value());
            return null;
        });
    }

    @Override
    public CompletableFuture<List<NodeReport>> nodes() {
        return call(commands -> {
            List<String> ids = new ArrayList<>(commands.smembers(listKey));
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> values = commands.mget(ids.stream().map(id -> reportPrefix + id).toArray(String[]::new));
            List<NodeReport> live = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                if (values.get(i) == null) {
                    commands.srem(listKey, ids.get(i));
                    continue;
                }
                try {
                    live.add(decode(values.get(i)));
                } catch (IOException | RuntimeException e) {
                    LOG.warn("unreadable report of node {} skipped: {}", ids.get(i), e.toString());
                }
            }
            return live;
        });
    }

    private <T> CompletableFuture<T> call(Function<JedisCommands, T> command) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return redis.run(command);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException("cannot reach the node list in Redis", e);
            }
        }, lane);
    }

    /** {@code {"n":node,"s":startedAtMillis,"c":connections,"r":rooms,"cps":..,"dps":..,"a50":..,"a99":..}}, the ack only when known. */
    private String encode(NodeReport report) {
        ObjectNode body = json.createObjectNode()
                .put("n", report.node().value())
                .put("s", report.startedAt().toEpochMilli())
                .put("c", report.connections())
                .put("r", report.rooms())
                .put("cps", report.chatsPerSecond())
                .put("dps", report.deliveriesPerSecond());
        report.ack().ifPresent(ack -> body.put("a50", ack.p50Millis()).put("a99", ack.p99Millis()));
        return body.toString();
    }

    private NodeReport decode(String value) throws IOException {
        JsonNode body = json.readTree(value);
        Optional<AckLatency> ack = body.has("a50")
                ? Optional.of(new AckLatency(body.path("a50").asDouble(), body.path("a99").asDouble()))
                : Optional.empty();
        return new NodeReport(NodeId.of(body.path("n").asText()), Instant.ofEpochMilli(body.path("s").asLong()),
                body.path("c").asInt(), body.path("r").asInt(), body.path("cps").asDouble(),
                body.path("dps").asDouble(), ack);
    }

    @Override
    public void close() {
        lane.shutdown();
        redis.close();
    }
}
