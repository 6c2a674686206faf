package dev.parley.adapters.redis;

import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.StoreUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.NodeId;
import dev.parley.domain.RoomName;
import dev.parley.domain.UserId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.UUID;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Signals to every node over one Redis pub/sub channel. A node that is not subscribed at the
 * moment (Redis away, reconnecting) misses what is sent meanwhile: a signal is a request an
 * operator can repeat, not data that must arrive.
 */
public final class RedisNodeSignals implements NodeSignals, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeSignals.class);
    private static final String DISCONNECT_USER = "disconnect-user ";
    private static final String FIND_CONNECTIONS = "find-connections ";
    private static final String CONNECTIONS_FOUND = "connections-found ";
    private final ObjectMapper json = new ObjectMapper();
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RedisCommands redis;
    private final String channel;
    private final String clientName;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService subscriber;
    private final ExecutorService publisher;
    private volatile boolean running = true;
    private volatile JedisPubSub subscription;

    public RedisNodeSignals(RedisSettings settings) {
        this.redis = RedisCommands.connect(Objects.requireNonNull(settings, "settings"));
        this.channel = settings.keyPrefix() + "signals";
        this.clientName = "parley-signals-" + settings.node().value();
        this.subscriber = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "parley-redis-signals"));
        this.publisher = Executors.newSingleThreadExecutor(runnable -> daemon(runnable, "parley-redis-signals-out"));
        subscriber.execute(this::listen);
    }

    @Override
    public void subscribe(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<Void> publish(Signal signal) {
        String message = encode(signal);
        return CompletableFuture.runAsync(() -> {
            try {
                redis.publish(channel, message);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException("cannot signal the nodes over Redis", e);
            }
        }, publisher);
    }

    private void listen() {
        while (running) {
            try (Jedis jedis = redis.subscriberConnection(clientName)) {
                JedisPubSub pubSub = new JedisPubSub() {
                    @Override
                    public void onMessage(String from, String message) {
                        deliver(message);
                    }
                };
                subscription = pubSub;
                jedis.subscribe(pubSub, channel);
            } catch (RuntimeException e) {
                if (running) {
                    LOG.debug("signal subscription lost, resubscribing: {}", e.toString());
                    sleep(RETRY);
                }
            }
        }
    }

    private void deliver(String message) {
        Signal signal;
        try {
            signal = decode(message);
        } catch (RuntimeException | IOException e) {
            LOG.warn("unreadable node signal ignored: {} ({})", message, e.toString());
            return;
        }
        for (Listener listener : listeners) {
            try {
                listener.onSignal(signal);
            } catch (RuntimeException e) {
                LOG.error("a node signal listener failed", e);
            }
        }
    }

    /**
     * {@code disconnect-user <user>}, {@code find-connections {"q":request,"u":user}}, or
     * {@code connections-found {"q":request,"n":node,"c":[{"i":id,"t":connectedAtMillis,"r":[rooms]}]}}.
     */
    private String encode(Signal signal) {
        if (signal instanceof DisconnectUser disconnect) {
            return DISCONNECT_USER + disconnect.user().value();
        }
        ObjectNode body = json.createObjectNode();
        if (signal instanceof FindConnections find) {
            body.put("q", find.request().toString()).put("u", find.user().value());
            return FIND_CONNECTIONS + body;
        }
        ConnectionsFound found = (ConnectionsFound) signal;
        body.put("q", found.request().toString()).put("n", found.node().value());
        ArrayNode connections = body.putArray("c");
        for (UserConnection connection : found.connections()) {
            ObjectNode entry = connections.addObject()
                    .put("i", connection.id().value()).put("t", connection.connectedAt().toEpochMilli());
            ArrayNode rooms = entry.putArray("r");
            connection.rooms().forEach(room -> rooms.add(room.value()));
        }
        return CONNECTIONS_FOUND + body;
    }

    private Signal decode(String message) throws IOException {
        if (message.startsWith(DISCONNECT_USER)) {
            return new DisconnectUser(UserId.of(message.substring(DISCONNECT_USER.length())));
        }
        if (message.startsWith(FIND_CONNECTIONS)) {
            JsonNode body = json.readTree(message.substring(FIND_CONNECTIONS.length()));
            return new FindConnections(UUID.fromString(body.path("q").asText()), UserId.of(body.path("u").asText()));
        }
        if (message.startsWith(CONNECTIONS_FOUND)) {
            JsonNode body = json.readTree(message.substring(CONNECTIONS_FOUND.length()));
            NodeId node = NodeId.of(body.path("n").asText());
            List<UserConnection> connections = new ArrayList<>();
            for (JsonNode entry : body.path("c")) {
                List<RoomName> rooms = new ArrayList<>();
                entry.path("r").forEach(room -> rooms.add(RoomName.of(room.asText())));
                connections.add(new UserConnection(ConnectionId.of(entry.path("i").asText()), node,
                        Instant.ofEpochMilli(entry.path("t").asLong()), rooms));
            }
            return new ConnectionsFound(UUID.fromString(body.path("q").asText()), node, connections);
        }
        throw new IOException("unknown signal");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void close() {
        running = false;
        JedisPubSub current = subscription;
        if (current != null && current.isSubscribed()) {
            current.unsubscribe();
        }
        subscriber.shutdownNow();
        publisher.shutdown();
        redis.close();
    }
}
