package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.domain.Backoff;
import dev.parley.domain.ReconnectSchedule;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A Parley connection that survives: docs/protocol.md section 9 in full.
 * <ul>
 *   <li>Reconnects after any close but 1000, 1003, 1008, 4001 and 4003, waiting as
 *       {@link ReconnectSchedule} says (exponential, full jitter, reset after 10 s up); on 4001
 *       it asks the token refresher for a new token first.</li>
 *   <li>Rejoins every room with {@code since} = the last position it saw there; when the server
 *       cannot replay ({@code recovered: false}) it reloads the missed messages with
 *       {@code history}. Listeners see each message once, in seq order.</li>
 *   <li>Keeps every chat in a bounded outbox until acknowledged and re-sends it with the same
 *       id on every connection; {@code unavailable} and {@code rate_limited} are retried, any
 *       other error fails the chat's future.</li>
 *   <li>Sends {@code ping} when it has sent nothing for the server's {@code intervalMs} and
 *       drops a connection that does not answer within {@code timeoutMs}.</li>
 * </ul>
 * Thread-safe: every method may be called from any thread. State lives on one internal
 * thread; listeners and futures are completed on another, in order.
 */
public final class ParleyClient implements AutoCloseable {
    static final int DEFAULT_OUTBOX_CAPACITY = 1_000;

    private final Threads threads;
    private final Connection connection;
    private final Requests requests;
    private final Outbox outbox;
    private final Rooms rooms;
    private final Reconnector reconnector;

    private ParleyClient(Builder builder) {
        this.threads = new Threads(builder.listeners);
        this.connection = new Connection(builder.endpoint, builder.devUser, builder.devName, threads);
        this.requests = new Requests(threads, connection);
        this.outbox = new Outbox(builder.outboxCapacity, threads, connection, this::awaitingJoin);
        this.rooms = new Rooms(threads, connection, requests, outbox);
        this.reconnector = new Reconnector(threads, connection, new Session(threads, requests, outbox, rooms),
                new ReconnectSchedule(builder.backoff, builder.stablePeriod, builder.random),
                builder.token, builder.tokenRefresher);
    }

    /** For the outbox, built before the rooms (which flush and fail its chats): must a room's chats wait? */
    private boolean awaitingJoin(String room) {
        return rooms.awaitingJoin(room);
    }

    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    /**
     * Starts connecting (and reconnecting for as long as the client lives). The future completes
     * on the first {@code welcome}, or fails if the client closes for good before one came.
     */
    public CompletableFuture<Void> connect() {
        threads.onLoop(reconnector::start);
        return reconnector.firstConnected().copy();
    }

    public void addListener(ParleyListener listener) {
        threads.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ParleyListener listener) {
        threads.removeListener(listener);
    }

    public ConnectionState state() {
        return connection.state();
    }

    /** Joins a room, now or as soon as connected, and rejoins it after every reconnect until {@link #leave}. */
    public CompletableFuture<JoinResult> join(String room) {
        String name = RoomName.of(room).value();
        CompletableFuture<JoinResult> result = new CompletableFuture<>();
        threads.onLoop(() -> rooms.join(name, result), result);
        return result.copy();
    }

    /** Leaves a room: no more rejoins, and its unsent chats fail with {@code not_member}. */
    public CompletableFuture<Void> leave(String room) {
        String name = RoomName.of(room).value();
        CompletableFuture<Void> result = new CompletableFuture<>();
        threads.onLoop(() -> rooms.leave(name, result), result);
        return result.copy();
    }

    /** Sends a chat with a new id; see {@link #send(String, String, JsonNode, String)}. */
    public CompletableFuture<ChatAck> send(String room, String text) {
        return send(room, text, null, Frames.newId());
    }

    /** Sends a chat with a new id and an application {@code data} object (or null). */
    public CompletableFuture<ChatAck> send(String room, String text, JsonNode data) {
        return send(room, text, data, Frames.newId());
    }

    /**
     * Puts a chat in the outbox and sends it as soon as the room is joined; re-sends it with the
     * same {@code id} after every reconnect until the server acknowledges it. The future fails
     * with {@code outbox_full} when the outbox holds its capacity, and with the server's code on
     * any error but {@code unavailable} and {@code rate_limited} (which are retried).
     */
    public CompletableFuture<ChatAck> send(String room, String text, JsonNode data, String id) {
        String name = RoomName.of(room).value();
        String requestId = RequestId.of(id).value();
        Objects.requireNonNull(text, "text");
        if (data != null && !data.isObject()) {
            throw new IllegalArgumentException("data must be a JSON object");
        }
        CompletableFuture<ChatAck> result = new CompletableFuture<>();
        Outbox.Entry entry = new Outbox.Entry(requestId, name, text, Optional.ofNullable(data), result);
        threads.onLoop(() -> outbox.send(entry), result);
        return result.copy();
    }

    /** Says that this user is (or stopped) typing; dropped when not connected (it is only a hint). */
    public void typing(String room, boolean active) {
        String name = RoomName.of(room).value();
        threads.onLoop(() -> {
            if (connection.connected() && rooms.joined(name)) {
                connection.send(Frames.typing(name, active));
            }
        });
    }

    /** One page of history; fails with {@code not_connected} while offline. */
    public CompletableFuture<HistoryPage> history(String room, HistoryRequest page) {
        ObjectNode payload = Frames.history(RoomName.of(room).value(), page);
        return requests.sendFromOutside("history", payload).thenApply(Frames::historyPage);
    }

    /** Who is in a room now, asked of the server; fails with {@code not_connected} while offline. */
    public CompletableFuture<List<User>> presence(String room) {
        ObjectNode payload = Frames.room(RoomName.of(room).value());
        return requests.sendFromOutside("presence", payload).thenApply(ack -> Frames.users(ack.get("members")));
    }

    /** The members of a joined room as this client last heard (empty when not joined). */
    public List<User> members(String room) {
        String name = RoomName.of(room).value();
        return threads.callOnLoop(() -> rooms.members(name));
    }

    /** The last position this client saw in a room, the {@code since} of its next rejoin. */
    public Optional<StreamPosition> position(String room) {
        String name = RoomName.of(room).value();
        return threads.callOnLoop(() -> rooms.position(name));
    }

    /** Chats waiting for their ack. */
    public int outboxSize() {
        return threads.callOnLoop(outbox::size);
    }

    /** Who the server says this client is (after the first {@code welcome}). */
    public Optional<User> user() {
        return threads.callOnLoop(reconnector::user);
    }

    /**
     * Closes with 1000 and stops for good: pending requests and unsent chats fail with
     * {@code closed}. Waits up to 2 s for the close handshake.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            threads.execute(() -> reconnector.close(done));
            done.get(5, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            return; // closed before
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // close anyway
        }
        threads.shutdown();
    }

    /** How to build a {@link ParleyClient}. */
    public static final class Builder {
        private final URI endpoint;
        private Optional<String> devUser = Optional.empty();
        private Optional<String> devName = Optional.empty();
        private String token;
        private Supplier<? extends CompletionStage<String>> tokenRefresher;
        private Backoff backoff = Backoff.PROTOCOL_DEFAULT;
        private Duration stablePeriod = ReconnectSchedule.PROTOCOL_STABLE_PERIOD;
        private RandomGenerator random = RandomGenerator.getDefault();
        private int outboxCapacity = DEFAULT_OUTBOX_CAPACITY;
        private final List<ParleyListener> listeners = new ArrayList<>();

        private Builder(URI endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            String scheme = endpoint.getScheme();
            if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
                throw new IllegalArgumentException("endpoint must be a ws:// or wss:// URI such as ws://127.0.0.1:8080/ws");
            }
        }

        /** A JWT, sent as {@code Authorization: Bearer}. */
        public Builder token(String jwt) {
            this.token = Objects.requireNonNull(jwt, "jwt");
            return this;
        }

        /** Called for a new token when the server closes with 4001 (or refuses the handshake with 401). */
        public Builder tokenRefresher(Supplier<? extends CompletionStage<String>> refresher) {
            this.tokenRefresher = Objects.requireNonNull(refresher, "refresher");
            return this;
        }

        /** Connects as this user on a server in {@code insecure-dev} auth mode (no token). */
        public Builder devUser(String id, String displayName) {
            this.devUser = Optional.of(UserId.of(id).value());
            this.devName = Optional.ofNullable(displayName);
            return this;
        }

        public Builder listener(ParleyListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The reconnect backoff; default: base 500 ms, factor 2, cap 30 s (docs/protocol.md section 9). */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /** How long a connection must stay up to reset the backoff; default 10 s. */
        public Builder stablePeriod(Duration stablePeriod) {
            this.stablePeriod = Objects.requireNonNull(stablePeriod, "stablePeriod");
            return this;
        }

        /** The jitter's random source (seed it in tests). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** How many unacknowledged chats the outbox holds; default 1,000. */
        public Builder outboxCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("outbox capacity must be at least 1");
            }
            this.outboxCapacity = capacity;
            return this;
        }

        public ParleyClient build() {
            return new ParleyClient(this);
        }
    }
}
