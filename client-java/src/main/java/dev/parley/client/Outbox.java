package dev.parley.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Chats not yet acknowledged, in the order they were sent, at most {@code capacity}. An entry
 * leaves on its ack or on a final error; until then it is re-sent with the same id on every
 * connection. Confined to the client's loop thread.
 */
final class Outbox {
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

    Outbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("outbox capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    /** False when full, or when the id is already waiting. */
    boolean add(Entry entry) {
        if (entries.size() >= capacity || entries.containsKey(entry.id)) {
            return false;
        }
        entries.put(entry.id, entry);
        return true;
    }

    Entry get(String id) {
        return entries.get(id);
    }

    Entry remove(String id) {
        return entries.remove(id);
    }

    /** Entries in send order. */
    List<Entry> inOrder() {
        return new ArrayList<>(entries.values());
    }

    /** Empties the outbox, returning what it held. */
    Collection<Entry> drain() {
        List<Entry> all = inOrder();
        entries.clear();
        return all;
    }

    int size() {
        return entries.size();
    }
}
