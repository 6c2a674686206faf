package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.domain.Backoff;
import dev.parley.domain.Epoch;
import dev.parley.domain.ReconnectSchedule;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A Parley connection that survives: docs/protocol.md section 9 in full.
 * <ul>
 *   <li>Reconnects after any close but 1000, 1003, 1008 and 4001, waiting as
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
    private static final int RELOAD_PAGE = 100;
    private static final int RELOAD_MAX_PAGES = 10;
    private static final int RECENT_KEYS = 5_000;
    private static final long DEFAULT_RETRY_MS = 1_000;
    private static final Set<Integer> FINAL_CLOSE_CODES = Set.of(1000, 1003, 1008);
    private static final int TOKEN_EXPIRED = 4001;

    private final URI endpoint;
    private final Optional<String> devUser;
    private final Optional<String> devName;
    private final Supplier<? extends CompletionStage<String>> tokenRefresher;
    private final ReconnectSchedule schedule;
    private final HttpClient http;
    private final Threads threads;
    private final CompletableFuture<Void> firstConnected = new CompletableFuture<>();

    // ---- confined to the loop thread ---------------------------------------------------------
    private volatile ConnectionState state = ConnectionState.IDLE;
    private String token;
    private long generation;
    private WebSocket socket;
    private CompletableFuture<?> sendChain = CompletableFuture.completedFuture(null);
    private final Map<String, RoomState> rooms = new LinkedHashMap<>();
    private final Outbox outbox;
    private final Map<String, CompletableFuture<JsonNode>> pending = new HashMap<>();
    private Optional<User> me = Optional.empty();
    private long intervalMs;
    private long timeoutMs;
    private long lastSentMillis;
    private String pingId;
    private long pingSentMillis;
    private ScheduledFuture<?> heartbeatTask;
    private ScheduledFuture<?> reconnectTask;

    private ParleyClient(Builder builder) {
        this.endpoint = builder.endpoint;
        this.devUser = builder.devUser;
        this.devName = builder.devName;
        this.token = builder.token;
        this.tokenRefresher = builder.tokenRefresher;
        this.schedule = new ReconnectSchedule(builder.backoff, builder.stablePeriod, builder.random);
        this.outbox = new Outbox(builder.outboxCapacity);
        this.threads = new Threads(builder.listeners);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    // ---- the application's side --------------------------------------------------------------

    /**
     * Starts connecting (and reconnecting for as long as the client lives). The future completes
     * on the first {@code welcome}, or fails if the client closes for good before one came.
     */
    public CompletableFuture<Void> connect() {
        threads.onLoop(() -> {
            if (state == ConnectionState.IDLE) {
                open();
            }
        });
        return firstConnected.copy();
    }

    public void addListener(ParleyListener listener) {
        threads.addListener(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(ParleyListener listener) {
        threads.removeListener(listener);
    }

    public ConnectionState state() {
        return state;
    }

    /** Joins a room, now or as soon as connected, and rejoins it after every reconnect until {@link #leave}. */
    public CompletableFuture<JoinResult> join(String room) {
        String name = RoomName.of(room).value();
        CompletableFuture<JoinResult> result = new CompletableFuture<>();
        threads.onLoop(() -> {
            RoomState existing = rooms.get(name);
            if (existing != null && existing.joined && existing.lastJoin != null) {
                threads.complete(result, existing.lastJoin);
                return;
            }
            RoomState roomState = existing != null ? existing : new RoomState(name);
            rooms.put(name, roomState);
            roomState.waiters.add(result);
            if (state == ConnectionState.CONNECTED && !roomState.joining) {
                sendJoin(roomState);
            }
        }, result);
        return result.copy();
    }

    /** Leaves a room: no more rejoins, and its unsent chats fail with {@code not_member}. */
    public CompletableFuture<Void> leave(String room) {
        String name = RoomName.of(room).value();
        CompletableFuture<Void> result = new CompletableFuture<>();
        threads.onLoop(() -> {
            RoomState removed = rooms.remove(name);
            if (removed != null) {
                threads.failAll(removed.waiters, new ParleyException("left", "left " + name + " before it was joined"));
            }
            for (Outbox.Entry entry : outbox.inOrder()) {
                if (entry.room.equals(name)) {
                    outbox.remove(entry.id);
                    threads.fail(entry.future, new ParleyException("not_member", "left " + name + " before it was sent"));
                }
            }
            if (state != ConnectionState.CONNECTED) {
                threads.complete(result, null);
                return;
            }
            ObjectNode payload = Frames.room(name);
            request("leave_room", payload).whenComplete((ack, error) -> {
                if (error == null || error instanceof ParleyException && "connection_lost".equals(((ParleyException) error).code())) {
                    threads.complete(result, null);
                } else {
                    threads.fail(result, error);
                }
            });
        }, result);
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
        threads.onLoop(() -> {
            if (state == ConnectionState.CLOSED) {
                threads.fail(result, new ParleyException("closed", "the client is closed"));
            } else if (!outbox.add(entry)) {
                threads.fail(result, new ParleyException("outbox_full", "the outbox already holds this id or "
                        + "its capacity of unacknowledged chats"));
            } else {
                flushOutbox();
            }
        }, result);
        return result.copy();
    }

    /** Says that this user is (or stopped) typing; dropped when not connected (it is only a hint). */
    public void typing(String room, boolean active) {
        String name = RoomName.of(room).value();
        threads.onLoop(() -> {
            RoomState roomState = rooms.get(name);
            if (state == ConnectionState.CONNECTED && roomState != null && roomState.joined) {
                sendFrame(Frames.typing(name, active));
            }
        });
    }

    /** One page of history; fails with {@code not_connected} while offline. */
    public CompletableFuture<HistoryPage> history(String room, HistoryRequest page) {
        ObjectNode payload = Frames.history(RoomName.of(room).value(), page);
        return requestFromOutside("history", payload).thenApply(Frames::historyPage);
    }

    /** Who is in a room now, asked of the server; fails with {@code not_connected} while offline. */
    public CompletableFuture<List<User>> presence(String room) {
        ObjectNode payload = Frames.room(RoomName.of(room).value());
        return requestFromOutside("presence", payload).thenApply(ack -> Frames.users(ack.get("members")));
    }

    /** The members of a joined room as this client last heard (empty when not joined). */
    public List<User> members(String room) {
        String name = RoomName.of(room).value();
        return threads.callOnLoop(() -> {
            RoomState roomState = rooms.get(name);
            return roomState == null ? List.<User>of() : List.copyOf(roomState.members.values());
        });
    }

    /** The last position this client saw in a room, the {@code since} of its next rejoin. */
    public Optional<StreamPosition> position(String room) {
        String name = RoomName.of(room).value();
        return threads.callOnLoop(() -> {
            RoomState roomState = rooms.get(name);
            return roomState == null || roomState.epoch == null
                    ? Optional.<StreamPosition>empty()
                    : Optional.of(new StreamPosition(roomState.lastSeq, roomState.epoch));
        });
    }

    /** Chats waiting for their ack. */
    public int outboxSize() {
        return threads.callOnLoop(outbox::size);
    }

    /** Who the server says this client is (after the first {@code welcome}). */
    public Optional<User> user() {
        return threads.callOnLoop(() -> me);
    }

    /**
     * Closes with 1000 and stops for good: pending requests and unsent chats fail with
     * {@code closed}. Waits up to 2 s for the close handshake.
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            threads.execute(() -> {
                if (state == ConnectionState.CLOSED) {
                    done.complete(null);
                    return;
                }
                WebSocket open = socket;
                finish(1000, "closed by the application");
                if (open == null) {
                    done.complete(null);
                } else {
                    open.sendClose(1000, "bye").whenComplete((ws, error) -> done.complete(null));
                    threads.schedule(() -> {
                        open.abort();
                        done.complete(null);
                    }, 2_000);
                }
            });
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

    // ---- connecting ----------------------------------------------------------------------

    private void open() {
        long gen = ++generation;
        setState(ConnectionState.CONNECTING, 0, "", Duration.ZERO);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.buildAsync(connectUri(), new SocketListener(gen)).whenComplete((ws, error) -> threads.onLoop(() -> {
            if (error != null) {
                handshakeFailed(gen, error);
            } else if (gen != generation || state == ConnectionState.CLOSED) {
                ws.abort();
            }
        }));
    }

    private URI connectUri() {
        if (devUser.isEmpty() && devName.isEmpty()) {
            return endpoint;
        }
        StringBuilder query = new StringBuilder();
        devUser.ifPresent(u -> query.append("user=").append(URLEncoder.encode(u, StandardCharsets.UTF_8)));
        devName.ifPresent(n -> query.append(query.length() > 0 ? "&" : "").append("name=")
                .append(URLEncoder.encode(n, StandardCharsets.UTF_8)));
        String base = endpoint.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + query);
    }

    private void handshakeFailed(long gen, Throwable error) {
        if (gen != generation || state != ConnectionState.CONNECTING) {
            return;
        }
        int status = handshakeStatus(error);
        if (status == 401) {
            tokenExpired(401, "handshake refused: 401 (token missing, invalid or expired)");
        } else if (status == 403) {
            finish(1008, "handshake refused: 403 (origin not allowed)");
        } else {
            String why = status > 0 ? "handshake refused: " + status : "cannot connect: " + rootMessage(error);
            reconnectLater(1006, why);
        }
    }

    private static int handshakeStatus(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException) {
                return ((WebSocketHandshakeException) t).getResponse().statusCode();
            }
        }
        return -1;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private void attached(long gen, WebSocket ws) {
        if (gen != generation || state != ConnectionState.CONNECTING) {
            ws.abort();
            return;
        }
        socket = ws;
        sendChain = CompletableFuture.completedFuture(null);
    }

    private void welcomed(JsonNode payload) {
        schedule.connected(Threads.now());
        me = Optional.of(Frames.user(payload.get("user")));
        JsonNode heartbeat = payload.path("heartbeat");
        intervalMs = heartbeat.path("intervalMs").asLong(25_000);
        timeoutMs = heartbeat.path("timeoutMs").asLong(20_000);
        lastSentMillis = Threads.now();
        pingId = null;
        long tick = Math.max(50, Math.min(1_000, Math.min(intervalMs, timeoutMs) / 4));
        long gen = generation;
        heartbeatTask = threads.every(() -> heartbeat(gen), tick);
        setState(ConnectionState.CONNECTED, 0, "", Duration.ZERO);
        threads.onCallbacks(() -> firstConnected.complete(null));
        for (RoomState room : rooms.values()) {
            sendJoin(room);
        }
        flushOutbox();
    }

    private void heartbeat(long gen) {
        if (gen != generation || state != ConnectionState.CONNECTED) {
            return;
        }
        long now = Threads.now();
        if (pingId != null && now - pingSentMillis > timeoutMs) {
            WebSocket dead = socket;
            socketClosed(gen, 1006, "no pong within " + timeoutMs + " ms");
            if (dead != null) {
                dead.abort();
            }
        } else if (pingId == null && now - lastSentMillis >= intervalMs) {
            pingId = Frames.newId();
            pingSentMillis = now;
            sendFrame(Frames.ping(pingId));
        }
    }

    private void socketClosed(long gen, int code, String reason) {
        if (gen != generation || (state != ConnectionState.CONNECTED && state != ConnectionState.CONNECTING)) {
            return;
        }
        dropConnection();
        if (FINAL_CLOSE_CODES.contains(code)) {
            finish(code, reason.isEmpty() ? "closed by the server" : reason);
        } else if (code == TOKEN_EXPIRED) {
            tokenExpired(code, reason.isEmpty() ? "token expired" : reason);
        } else {
            reconnectLater(code, reason.isEmpty() ? "connection lost" : reason);
        }
    }

    /** Forgets the connection: requests on it fail, rooms wait for their rejoin, chats for their re-send. */
    private void dropConnection() {
        socket = null;
        if (heartbeatTask != null) {
            heartbeatTask.cancel(false);
            heartbeatTask = null;
        }
        pingId = null;
        List<CompletableFuture<JsonNode>> lost = new ArrayList<>(pending.values());
        pending.clear();
        for (CompletableFuture<JsonNode> request : lost) {
            request.completeExceptionally(new ParleyException("connection_lost", "the connection was lost"));
        }
        for (RoomState room : rooms.values()) {
            room.joined = false;
            room.joining = false;
            room.reloading = false;
            room.buffer.clear();
        }
        for (Outbox.Entry entry : outbox.inOrder()) {
            entry.sentOn = 0;
        }
    }

    private void tokenExpired(int code, String reason) {
        if (socket != null) {
            dropConnection();
        }
        if (tokenRefresher == null) {
            finish(code, reason + "; no token refresher configured");
            return;
        }
        long gen = generation;
        setState(ConnectionState.RECONNECTING, code, reason + "; refreshing the token", Duration.ZERO);
        CompletionStage<String> fresh;
        try {
            fresh = tokenRefresher.get();
        } catch (RuntimeException e) {
            fresh = CompletableFuture.failedFuture(e);
        }
        fresh.whenComplete((newToken, error) -> threads.onLoop(() -> {
            if (gen != generation || state == ConnectionState.CLOSED) {
                return;
            }
            if (error == null && newToken != null) {
                token = newToken;
            }
            reconnectLater(code, error == null ? reason : reason + "; token refresh failed: " + rootMessage(error));
        }));
    }

    private void reconnectLater(int code, String reason) {
        Duration wait = schedule.disconnected(Threads.now());
        setState(ConnectionState.RECONNECTING, code, reason, wait, schedule.attempt());
        long gen = generation;
        reconnectTask = threads.schedule(() -> {
            if (gen == generation && state == ConnectionState.RECONNECTING) {
                open();
            }
        }, wait.toMillis());
    }

    /** Closed for good: everything still waiting fails. */
    private void finish(int code, String reason) {
        generation++;
        if (socket != null) {
            dropConnection();
        }
        if (reconnectTask != null) {
            reconnectTask.cancel(false);
        }
        ParleyException closed = new ParleyException("closed", reason + " (close code " + code + ")");
        for (Outbox.Entry entry : outbox.drain()) {
            threads.fail(entry.future, closed);
        }
        for (RoomState room : rooms.values()) {
            threads.failAll(room.waiters, closed);
        }
        setState(ConnectionState.CLOSED, code, reason, Duration.ZERO);
        threads.onCallbacks(() -> firstConnected.completeExceptionally(closed));
    }

    // ---- rooms -----------------------------------------------------------------------------

    private void sendJoin(RoomState room) {
        StreamPosition since = room.epoch == null ? null : new StreamPosition(room.lastSeq, room.epoch);
        ObjectNode payload = Frames.join(room.name, since);
        room.joining = true;
        long gen = generation;
        request("join_room", payload).whenComplete((ack, error) -> {
            if (gen != generation || rooms.get(room.name) != room) {
                return;
            }
            room.joining = false;
            if (error == null) {
                joined(room, since, ack);
            } else {
                joinFailed(room, error);
            }
        });
    }

    private void joined(RoomState room, StreamPosition since, JsonNode ack) {
        JoinResult result = Frames.joinResult(room.name, ack);
        Epoch epoch = result.position().epoch();
        long seq = result.position().seq();
        boolean recovered = result.recovered();
        room.joined = true;
        room.lastJoin = result;
        room.members.clear();
        for (User user : result.presence()) {
            room.members.put(user.id().value(), user);
        }
        threads.emit(l -> l.onPresence(new PresenceEvent(room.name, PresenceEvent.Kind.SYNC, Optional.empty(),
                List.copyOf(room.members.values()))));
        if (since == null) {
            room.epoch = epoch;
            room.lastSeq = seq;
        } else if (!recovered) {
            room.epoch = epoch;
            room.lastSeq = seq;
            reload(room, since, seq);
        }
        List<CompletableFuture<JoinResult>> waiters = new ArrayList<>(room.waiters);
        room.waiters.clear();
        for (CompletableFuture<JoinResult> waiter : waiters) {
            threads.complete(waiter, result);
        }
        flushOutbox();
    }

    private void joinFailed(RoomState room, Throwable error) {
        if (error instanceof ParleyException && retryable(((ParleyException) error).code())) {
            ParleyException refused = (ParleyException) error;
            long gen = generation;
            threads.schedule(() -> {
                if (gen == generation && rooms.get(room.name) == room && !room.joined && !room.joining) {
                    sendJoin(room);
                }
            }, refused.retryAfterMs().orElse(DEFAULT_RETRY_MS));
            return;
        }
        if (error instanceof ParleyException && "connection_lost".equals(((ParleyException) error).code())) {
            return; // rejoined after the reconnect
        }
        rooms.remove(room.name);
        threads.failAll(room.waiters, error);
        for (Outbox.Entry entry : outbox.inOrder()) {
            if (entry.room.equals(room.name)) {
                outbox.remove(entry.id);
                threads.fail(entry.future, error);
            }
        }
    }

    /**
     * The server could not replay what this client missed ({@code recovered: false}): load it
     * with {@code history} while live messages wait in a buffer, then deliver both, each
     * message once. Within the same epoch it pages forward from {@code since}; in a new epoch
     * (the history was reset) it loads the newest pages up to the join's seq.
     */
    private void reload(RoomState room, StreamPosition since, long upTo) {
        room.reloading = true;
        long gen = generation;
        CompletableFuture<List<Message>> loaded = new CompletableFuture<>();
        if (since.epoch().equals(room.epoch)) {
            loadForward(room.name, since.seq(), upTo, new ArrayList<>(), 0, loaded);
        } else {
            loadBackward(room.name, upTo + 1, new ArrayList<>(), 0, loaded);
        }
        loaded.whenComplete((messages, error) -> {
            if (gen != generation || rooms.get(room.name) != room || !room.reloading) {
                return;
            }
            room.reloading = false;
            if (messages != null) {
                for (Message message : messages) {
                    if (message.seq() <= upTo && room.remember(message.key())) {
                        threads.emit(l -> l.onChat(message));
                    }
                }
            }
            List<Message> live = new ArrayList<>(room.buffer);
            room.buffer.clear();
            for (Message message : live) {
                deliver(room, message);
            }
        });
    }

    private void loadForward(String room, long after, long upTo, List<Message> into, int pages,
                             CompletableFuture<List<Message>> done) {
        if (after >= upTo || pages >= RELOAD_MAX_PAGES) {
            done.complete(into);
            return;
        }
        request("history", Frames.history(room, HistoryRequest.after(after, RELOAD_PAGE))).whenComplete((ack, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            HistoryPage page = Frames.historyPage(ack);
            into.addAll(page.messages());
            if (!page.hasMore() || page.messages().isEmpty()) {
                done.complete(into);
            } else {
                loadForward(room, page.messages().get(page.messages().size() - 1).seq(), upTo, into, pages + 1, done);
            }
        });
    }

    private void loadBackward(String room, long before, List<Message> into, int pages,
                              CompletableFuture<List<Message>> done) {
        if (before <= 1 || pages >= RELOAD_MAX_PAGES) {
            done.complete(into);
            return;
        }
        request("history", Frames.history(room, HistoryRequest.before(before, RELOAD_PAGE))).whenComplete((ack, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            HistoryPage page = Frames.historyPage(ack);
            into.addAll(0, page.messages());
            if (!page.hasMore() || page.messages().isEmpty()) {
                done.complete(into);
            } else {
                loadBackward(room, page.messages().get(0).seq(), into, pages + 1, done);
            }
        });
    }

    private void deliver(RoomState room, Message message) {
        if (message.seq() <= room.lastSeq) {
            return; // seen already (a replay overlapping what was delivered)
        }
        room.lastSeq = message.seq();
        if (room.remember(message.key())) {
            threads.emit(l -> l.onChat(message));
        }
    }

    // ---- the outbox ------------------------------------------------------------------------

    /** Sends every chat that may go now: connected, its room joined, not sent on this connection, not held back. */
    private void flushOutbox() {
        if (state != ConnectionState.CONNECTED) {
            return;
        }
        long now = Threads.now();
        long nextRetry = Long.MAX_VALUE;
        for (Outbox.Entry entry : outbox.inOrder()) {
            if (entry.sentOn == generation) {
                continue;
            }
            RoomState room = rooms.get(entry.room);
            if (room != null && !room.joined) {
                continue; // sent after the (re)join's ack
            }
            if (entry.notBeforeMillis > now) {
                nextRetry = Math.min(nextRetry, entry.notBeforeMillis);
                continue;
            }
            entry.sentOn = generation;
            sendFrame(Frames.chat(entry));
        }
        if (nextRetry != Long.MAX_VALUE) {
            long gen = generation;
            threads.schedule(() -> {
                if (gen == generation) {
                    flushOutbox();
                }
            }, nextRetry - now);
        }
    }

    private void chatAnswered(Outbox.Entry entry, String type, JsonNode payload) {
        if (type.equals("ack")) {
            outbox.remove(entry.id);
            threads.complete(entry.future, Frames.chatAck(entry, payload));
            return;
        }
        ParleyException error = Frames.error(payload);
        if (retryable(error.code())) {
            entry.sentOn = 0;
            entry.notBeforeMillis = Threads.now() + error.retryAfterMs().orElse(DEFAULT_RETRY_MS);
            flushOutbox();
        } else {
            outbox.remove(entry.id);
            threads.fail(entry.future, error);
        }
    }

    private static boolean retryable(String code) {
        return code.equals("unavailable") || code.equals("rate_limited");
    }

    // ---- frames ----------------------------------------------------------------------------

    private void onFrame(long gen, String text) {
        if (gen != generation || socket == null) {
            return;
        }
        Frames.Inbound frame = Frames.parse(text).orElse(null);
        if (frame == null) {
            return; // not from a Parley server; nothing to do with it
        }
        String type = frame.type();
        JsonNode payload = frame.payload();
        String replyTo = frame.replyTo();
        switch (type) {
            case "welcome":
                if (state == ConnectionState.CONNECTING) {
                    welcomed(payload);
                }
                break;
            case "ack":
            case "error":
            case "pong":
                answered(type, replyTo, payload);
                break;
            case "chat": {
                Message message = Frames.message(payload);
                RoomState room = rooms.get(message.room());
                if (room == null || !room.joined) {
                    break;
                }
                if (room.reloading) {
                    room.buffer.add(message);
                } else {
                    deliver(room, message);
                }
                break;
            }
            case "typing": {
                String room = payload.path("room").asText();
                if (rooms.containsKey(room)) {
                    TypingEvent event = Frames.typingEvent(payload);
                    threads.emit(l -> l.onTyping(event));
                }
                break;
            }
            case "presence":
                presenceChanged(payload);
                break;
            default:
                break; // a newer server's type: ignored
        }
    }

    private void answered(String type, String replyTo, JsonNode payload) {
        if (replyTo == null) {
            if (type.equals("error")) {
                ParleyException error = Frames.error(payload);
                threads.emit(l -> l.onError(error));
            }
            return;
        }
        if (replyTo.equals(pingId)) {
            pingId = null;
            return;
        }
        Outbox.Entry entry = outbox.get(replyTo);
        if (entry != null) {
            chatAnswered(entry, type, payload);
            return;
        }
        CompletableFuture<JsonNode> request = pending.remove(replyTo);
        if (request == null) {
            if (type.equals("error")) {
                ParleyException error = Frames.error(payload);
                threads.emit(l -> l.onError(error));
            }
        } else if (type.equals("error")) {
            request.completeExceptionally(Frames.error(payload));
        } else {
            request.complete(payload);
        }
    }

    private void presenceChanged(JsonNode payload) {
        RoomState room = rooms.get(payload.path("room").asText());
        if (room == null || !room.joined) {
            return;
        }
        User user = Frames.user(payload.get("user"));
        boolean join = payload.path("event").asText().equals("join");
        if (join) {
            room.members.put(user.id().value(), user);
        } else {
            room.members.remove(user.id().value());
        }
        PresenceEvent event = new PresenceEvent(room.name, join ? PresenceEvent.Kind.JOIN : PresenceEvent.Kind.LEAVE,
                Optional.of(user), List.copyOf(room.members.values()));
        threads.emit(l -> l.onPresence(event));
    }

    /** A request on the current connection; its future completes on the loop thread. */
    private CompletableFuture<JsonNode> request(String type, ObjectNode payload) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        if (state != ConnectionState.CONNECTED) {
            answer.completeExceptionally(new ParleyException("not_connected", "not connected"));
            return answer;
        }
        String id = Frames.newId();
        pending.put(id, answer);
        sendFrame(Frames.request(type, id, payload));
        return answer;
    }

    /** A request from an application thread: answered on the callback thread. */
    private CompletableFuture<JsonNode> requestFromOutside(String type, ObjectNode payload) {
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        threads.onLoop(() -> request(type, payload).whenComplete((ack, error) -> {
            if (error == null) {
                threads.complete(result, ack);
            } else {
                threads.fail(result, error);
            }
        }), result);
        return result;
    }

    private void sendFrame(ObjectNode frame) {
        WebSocket ws = socket;
        if (ws == null) {
            return;
        }
        String text = frame.toString();
        lastSentMillis = Threads.now();
        // java.net.http allows one outstanding send: chain them, and keep the chain alive after a failure.
        sendChain = sendChain.handle((ignored, error) -> null).thenCompose(ignored -> ws.sendText(text, true));
    }

    // ---- threads ---------------------------------------------------------------------------

    private void setState(ConnectionState next, int code, String reason, Duration retryIn) {
        setState(next, code, reason, retryIn, schedule.attempt());
    }

    private void setState(ConnectionState next, int code, String reason, Duration retryIn, int attempt) {
        state = next;
        ConnectionEvent event = new ConnectionEvent(next, code, reason, retryIn, attempt);
        threads.emit(l -> l.onConnection(event));
    }

    /** What the client knows of one room it wants to be in. Loop thread only. */
    private static final class RoomState {
        final String name;
        final List<CompletableFuture<JoinResult>> waiters = new ArrayList<>();
        final Map<String, User> members = new LinkedHashMap<>();
        final List<Message> buffer = new ArrayList<>();
        final Map<String, Boolean> recent = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RECENT_KEYS;
            }
        };
        Epoch epoch;
        long lastSeq;
        boolean joined;
        boolean joining;
        boolean reloading;
        JoinResult lastJoin;

        RoomState(String name) {
            this.name = name;
        }

        /** True the first time a message (sender and id) is seen here. */
        boolean remember(String key) {
            return recent.put(key, Boolean.TRUE) == null;
        }
    }

    /** The listener java.net.http calls; it hands everything to the loop thread. */
    private final class SocketListener implements WebSocket.Listener {
        private final long gen;
        private final StringBuilder text = new StringBuilder();

        SocketListener(long gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            threads.onLoop(() -> attached(gen, webSocket));
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                threads.onLoop(() -> onFrame(gen, frame));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            threads.onLoop(() -> socketClosed(gen, statusCode, reason == null ? "" : reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            threads.onLoop(() -> socketClosed(gen, 1006, "connection lost: " + rootMessage(error)));
        }
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
