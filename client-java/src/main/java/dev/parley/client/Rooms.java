package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.domain.Epoch;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The rooms this client wants to be in (docs/protocol.md section 9): joins them, rejoins them
 * after every reconnect with {@code since} = the last position seen, reloads what the server
 * could not replay, and hands on each room's chats once, in seq order, with its presence and
 * typing. Loop thread only.
 */
final class Rooms {
    private static final int RECENT_KEYS = 5_000;
    /** How soon a reload that failed for another reason than a retryable error is tried again. */
    private static final long RELOAD_RETRY_MILLIS = 1_000;

    private final Threads threads;
    private final Connection connection;
    private final Requests requests;
    private final Outbox outbox;
    private final Map<String, RoomState> rooms = new LinkedHashMap<>();

    Rooms(Threads threads, Connection connection, Requests requests, Outbox outbox) {
        this.threads = threads;
        this.connection = connection;
        this.requests = requests;
        this.outbox = outbox;
    }

    void join(String name, CompletableFuture<JoinResult> result) {
        RoomState existing = rooms.get(name);
        if (existing != null && existing.joined && existing.lastJoin != null) {
            threads.complete(result, existing.lastJoin);
            return;
        }
        RoomState room = existing != null ? existing : new RoomState(name);
        rooms.put(name, room);
        room.waiters.add(result);
        if (connection.connected() && !room.joining) {
            sendJoin(room);
        }
    }

    /** No more rejoins; the room's unsent chats fail with {@code not_member}. */
    void leave(String name, CompletableFuture<Void> result) {
        RoomState removed = rooms.remove(name);
        if (removed != null) {
            threads.failAll(removed.waiters, new ParleyException("left", "left " + name + " before it was joined"));
        }
        outbox.failRoom(name, new ParleyException("not_member", "left " + name + " before it was sent"));
        if (!connection.connected()) {
            threads.complete(result, null);
            return;
        }
        requests.send("leave_room", Frames.room(name)).whenComplete((ack, error) -> {
            if (error == null || connectionLost(error)) {
                threads.complete(result, null);
            } else {
                threads.fail(result, error);
            }
        });
    }

    boolean joined(String name) {
        RoomState room = rooms.get(name);
        return room != null && room.joined;
    }

    /** True while chats to the room must wait: it is wanted but its (re)join is not acknowledged yet. */
    boolean awaitingJoin(String name) {
        RoomState room = rooms.get(name);
        return room != null && !room.joined;
    }

    List<User> members(String name) {
        RoomState room = rooms.get(name);
        return room == null ? List.of() : List.copyOf(room.members.values());
    }

    Optional<StreamPosition> position(String name) {
        RoomState room = rooms.get(name);
        return room == null || room.epoch == null
                ? Optional.empty()
                : Optional.of(new StreamPosition(room.lastSeq, room.epoch));
    }

    void rejoinAll() {
        for (RoomState room : rooms.values()) {
            sendJoin(room);
        }
    }

    /** The connection is gone: every room waits for its rejoin, live messages of a reload are dropped. */
    void connectionLost() {
        for (RoomState room : rooms.values()) {
            room.joined = false;
            room.joining = false;
            room.reloading = false;
            room.buffer.clear();
        }
    }

    void failWaiters(ParleyException closed) {
        for (RoomState room : rooms.values()) {
            threads.failAll(room.waiters, closed);
        }
    }

    // ---- joining -------------------------------------------------------------------------------

    private void sendJoin(RoomState room) {
        StreamPosition since = room.epoch == null ? null : new StreamPosition(room.lastSeq, room.epoch);
        room.joining = true;
        long gen = connection.generation();
        requests.send("join_room", Frames.join(room.name, since)).whenComplete((ack, error) -> {
            if (gen != connection.generation() || rooms.get(room.name) != room) {
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
        } else if (!result.recovered()) {
            reload(room, since, epoch, seq); // the position moves once the reload is done
        }
        List<CompletableFuture<JoinResult>> waiters = new ArrayList<>(room.waiters);
        room.waiters.clear();
        for (CompletableFuture<JoinResult> waiter : waiters) {
            threads.complete(waiter, result);
        }
        outbox.flush();
    }

    private void joinFailed(RoomState room, Throwable error) {
        if (error instanceof ParleyException && Requests.retryable((ParleyException) error)) {
            long gen = connection.generation();
            threads.schedule(() -> {
                if (gen == connection.generation() && rooms.get(room.name) == room && !room.joined && !room.joining) {
                    sendJoin(room);
                }
            }, Requests.retryDelayMillis((ParleyException) error));
            return;
        }
        if (connectionLost(error)) {
            return; // rejoined after the reconnect
        }
        rooms.remove(room.name);
        threads.failAll(room.waiters, error);
        outbox.failRoom(room.name, error);
    }

    private static boolean connectionLost(Throwable error) {
        return error instanceof ParleyException && "connection_lost".equals(((ParleyException) error).code());
    }

    /**
     * The server could not replay what this client missed ({@code recovered: false}): load it
     * while live messages wait in a buffer, then deliver both, each message once. The room's
     * position stays at {@code since} until the reload is done: a reload that fails is tried
     * again while the connection lasts, and a reconnect meanwhile rejoins from {@code since}, so
     * a failed reload never skips a message.
     */
    private void reload(RoomState room, StreamPosition since, Epoch epoch, long upTo) {
        room.reloading = true;
        long gen = connection.generation();
        HistoryReload.load(requests, room.name, since, epoch, upTo).whenComplete((messages, error) -> {
            if (gen != connection.generation() || rooms.get(room.name) != room || !room.reloading) {
                return;
            }
            if (error != null) {
                long delay = error instanceof ParleyException && Requests.retryable((ParleyException) error)
                        ? Requests.retryDelayMillis((ParleyException) error) : RELOAD_RETRY_MILLIS;
                threads.schedule(() -> {
                    if (gen == connection.generation() && rooms.get(room.name) == room && room.reloading) {
                        reload(room, since, epoch, upTo);
                    }
                }, delay);
                return;
            }
            room.reloading = false;
            room.epoch = epoch;
            room.lastSeq = upTo;
            for (Message message : messages) {
                if (message.seq() <= upTo && room.remember(message.key())) {
                    threads.emit(l -> l.onChat(message));
                }
            }
            List<Message> live = new ArrayList<>(room.buffer);
            room.buffer.clear();
            for (Message message : live) {
                deliver(room, message);
            }
        });
    }

    // ---- the server's events -------------------------------------------------------------------

    void chat(Message message) {
        RoomState room = rooms.get(message.room());
        if (room == null || !room.joined) {
            return;
        }
        if (room.reloading) {
            room.buffer.add(message);
        } else {
            deliver(room, message);
        }
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

    void typing(JsonNode payload) {
        if (rooms.containsKey(payload.path("room").asText())) {
            TypingEvent event = Frames.typingEvent(payload);
            threads.emit(l -> l.onTyping(event));
        }
    }

    void presence(JsonNode payload) {
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

    /** What the client knows of one room it wants to be in. */
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
}
