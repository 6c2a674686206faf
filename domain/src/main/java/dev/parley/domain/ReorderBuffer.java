package dev.parley.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Puts one room's stream back in order. Items arrive in any order, possibly more than once;
 * each seq is released exactly once and only after every seq before it. While a seq is
 * missing the buffer holds what came after it and names the gap, so its owner can fetch the
 * gap from history. Not thread-safe; its owner serialises access.
 */
public final class ReorderBuffer<T> {
    private final ToLongFunction<T> seqOf;
    private final TreeMap<Long, T> held = new TreeMap<>();
    private long lastReleased;

    /** A missing run of seqs, {@code from..to} inclusive. */
    public record Gap(long from, long to) {
        public Gap {
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("bad gap " + from + ".." + to);
            }
        }
    }

    /**
     * @param lastReleased the seq up to which the stream has been delivered already
     * @param seqOf        reads an item's seq
     */
    public ReorderBuffer(long lastReleased, ToLongFunction<T> seqOf) {
        if (lastReleased < 0) {
            throw new IllegalArgumentException("lastReleased must be >= 0: " + lastReleased);
        }
        this.lastReleased = lastReleased;
        this.seqOf = Objects.requireNonNull(seqOf, "seqOf");
    }

    /** Accepts one item; returns the items now releasable, in seq order (often just this one). */
    public List<T> offer(T item) {
        long seq = seqOf.applyAsLong(item);
        if (seq <= lastReleased || held.containsKey(seq)) {
            return List.of();
        }
        if (seq != lastReleased + 1) {
            held.put(seq, item);
            return List.of();
        }
        lastReleased = seq;
        if (held.isEmpty()) {
            return List.of(item);
        }
        List<T> released = new ArrayList<>();
        released.add(item);
        Map.Entry<Long, T> next;
        while ((next = held.firstEntry()) != null && next.getKey() == lastReleased + 1) {
            held.pollFirstEntry();
            released.add(next.getValue());
            lastReleased = next.getKey();
        }
        return released;
    }

    /** The seqs missing before the oldest held item, if any item is held. */
    public Optional<Gap> gap() {
        return held.isEmpty()
                ? Optional.empty()
                : Optional.of(new Gap(lastReleased + 1, held.firstKey() - 1));
    }

    public long lastReleased() {
        return lastReleased;
    }

    public int heldCount() {
        return held.size();
    }
}
