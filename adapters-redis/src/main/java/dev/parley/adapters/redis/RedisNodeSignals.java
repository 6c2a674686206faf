package dev.parley.adapters.redis;

import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.UserId;
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
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final RedisConnector redis;
    private final String channel;
    private final String clientName;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService subscriber;
    private final ExecutorService publisher;
    private volatile boolean running = true;
    private volatile JedisPubSub subscription;

    public RedisNodeSignals(RedisSettings settings) {
        this.redis = new RedisConnector(Objects.requireNonNull(settings, "settings"));
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
            try (Jedis jedis = redis.pooled()) {
                jedis.publish(channel, message);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException("cannot signal the nodes over Redis", e);
            }
        }, publisher);
    }

    private void listen() {
        while (running) {
            try (Jedis jedis = redis.dedicated(clientName)) {
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
        if (!message.startsWith(DISCONNECT_USER)) {
            LOG.warn("unknown node signal ignored: {}", message);
            return;
        }
        Signal signal = new DisconnectUser(UserId.of(message.substring(DISCONNECT_USER.length())));
        for (Listener listener : listeners) {
            try {
                listener.onSignal(signal);
            } catch (RuntimeException e) {
                LOG.error("a node signal listener failed", e);
            }
        }
    }

    private static String encode(Signal signal) {
        return DISCONNECT_USER + ((DisconnectUser) signal).user().value();
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
