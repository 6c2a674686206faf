package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Chats not yet acknowledged, in the order they were sent, at most {@code capacity}
 * (docs/protocol.md section 9). A chat is sent once its room is joined, and again with the same
 * id on every connection; it leaves on its ack or on an error other than {@code unavailable} and
 * {@code rate_limited}, which hold it back for the {@code retryAfterMs} they give. Confined to the
 * client's loop thread.
 */
final class Outbox {
    /** The largest frame a server takes (docs/protocol.md section 7); a larger one closes the connection with 1009. */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    /** One chat: what to send and who waits for its ack. */
    static final class Entry {
        final String id;
        final String room;
        final String text;
        final Optional<JsonNode> data;
        final CompletableFuture<ChatAck> future;
        /** The connection generation it was last sent on; 0 when it waits to be sent. */
        long sentOn;
        /** Not before this time (ms): after {@code unavailable} or {@code rate_limited}. */
        long notBeforeMillis;

        Entry(String id, String room, String text, Optional<JsonNode> data, CompletableFuture<ChatAck> future) {
            this.id = id;
            this.room = room;
            this.text = text;
            this.data = data;
            this.future = future;
        }
    }

    private final int capacity;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Threads threads;
    private final Connection connection;
    private final Predicate<String> awaitingJoin;

    /** {@code awaitingJoin}: whether chats to a room wait for the ack of its (re)join. */
    Outbox(int capacity, Threads threads, Connection connection, Predicate<String> awaitingJoin) {
        if (capacity < 1) {
            throw new IllegalArgumentException("outbox capacity must be at least 1");
        }
        this.capacity = capacity;
        this.threads = threads;
        this.connection = connection;
        this.awaitingJoin = awaitingJoin;
    }

    /**
     * Takes a chat and sends it if it may go now; its future fails if the client is closed, the
     * outbox full, or the chat's frame too large to ever be sent.
     */
    void send(Entry entry) {
        int frameBytes = Frames.chat(entry).toString().getBytes(StandardCharsets.UTF_8).length;
        if (connection.state() == ConnectionState.CLOSED) {
            threads.fail(entry.future, new ParleyException("closed", "the client is closed"));
        } else if (frameBytes > MAX_FRAME_BYTES) {
            // The server would close the connection (1009) and the outbox send it again, forever.
            threads.fail(entry.future, new ParleyException("too_large", "the chat's frame is " + frameBytes
                    + " bytes, over the protocol's limit of " + MAX_FRAME_BYTES));
        } else if (entries.size() >= capacity || entries.containsKey(entry.id)) {
            threads.fail(entry.future, new ParleyException("outbox_full", "the outbox already holds this id or "
                    + "its capacity of unacknowledged chats"));
        } else {
            entries.put(entry.id, entry);
            flush();
        }
    }

    /** Sends every chat that may go now: connected, its room joined, not sent on this connection, not held back. */
    void flush() {
        if (!connection.connected()) {
            return;
        }
        long now = Threads.now();
        long nextRetry = Long.MAX_VALUE;
        for (Entry entry : inOrder()) {
            if (entry.sentOn == connection.generation()) {
                continue;
            }
            if (awaitingJoin.test(entry.room)) {
                continue; // sent after the (re)join's ack
            }
            if (entry.notBeforeMillis > now) {
                nextRetry = Math.min(nextRetry, entry.notBeforeMillis);
                continue;
            }
            entry.sentOn = connection.generation();
            connection.send(Frames.chat(entry));
        }
        if (nextRetry != Long.MAX_VALUE) {
            long gen = connection.generation();
            threads.schedule(() -> {
                if (gen == connection.generation()) {
                    flush();
                }
            }, nextRetry - now);
        }
    }

    /** Settles the chat that {@code replyTo} answers; false when it answers none of them. */
    boolean answer(String replyTo, String type, JsonNode payload) {
        Entry entry = entries.get(replyTo);
        if (entry == null) {
            return false;
        }
        if (type.equals("ack")) {
            entries.remove(entry.id);
            threads.complete(entry.future, Frames.chatAck(entry, payload));
            return true;
        }
        ParleyException error = Frames.error(payload);
        if (Requests.retryable(error)) {
            entry.sentOn = 0;
            entry.notBeforeMillis = Threads.now() + Requests.retryDelayMillis(error);
            flush();
        } else {
            entries.remove(entry.id);
            threads.fail(entry.future, error);
        }
        return true;
    }

    /** The chats to {@code room} fail with {@code error} (it was left, or refused). */
    void failRoom(String room, Throwable error) {
        for (Entry entry : inOrder()) {
            if (entry.room.equals(room)) {
                entries.remove(entry.id);
                threads.fail(entry.future, error);
            }
        }
    }

    /** The connection is gone: every chat is sent again on the next one. */
    void connectionLost() {
        for (Entry entry : entries.values()) {
            entry.sentOn = 0;
        }
    }

    /** Closed for good: every chat fails with {@code closed}. */
    void failAll(ParleyException closed) {
        List<Entry> all = inOrder();
        entries.clear();
        for (Entry entry : all) {
            threads.fail(entry.future, closed);
        }
    }

    int size() {
        return entries.size();
    }

    private List<Entry> inOrder() {
        return new ArrayList<>(entries.values());
    }
}
