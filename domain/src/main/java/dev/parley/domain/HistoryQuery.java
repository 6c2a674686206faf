package dev.parley.domain;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One page of a room's history. {@code after} asks for the oldest messages above that seq,
 * {@code before} for the newest below it, neither for the newest; with both, the oldest
 * messages between them. Pages are always ascending by seq.
 */
public record HistoryQuery(RoomName room, OptionalLong after, OptionalLong before, int limit) {
    public HistoryQuery {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(before, "before");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    public static Validated<HistoryQuery> of(RoomName room, OptionalLong after, OptionalLong before,
                                             OptionalLong limit, Limits limits) {
        if (after.isPresent() && !StreamPosition.isValidSeq(after.getAsLong())) {
            return Validated.invalid(Violation.MALFORMED, "after must be an integer in 0..2^53");
        }
        if (before.isPresent() && !StreamPosition.isValidSeq(before.getAsLong())) {
            return Validated.invalid(Violation.MALFORMED, "before must be an integer in 0..2^53");
        }
        long size = limit.orElse(limits.defaultHistoryLimit());
        if (size < 1 || size > limits.maxHistoryLimit()) {
            return Validated.invalid(Violation.MALFORMED, "limit must be 1.." + limits.maxHistoryLimit());
        }
        return Validated.valid(new HistoryQuery(room, after, before, (int) size));
    }

    /** True when the page is read upwards from {@code after}; false when downwards from the top or {@code before}. */
    public boolean ascending() {
        return after.isPresent();
    }

    /** The seqs of one page: {@code from..to} inclusive (empty when {@code to < from}). */
    public record Page(long from, long to, boolean hasMore) {
        public boolean isEmpty() {
            return to < from;
        }
    }

    /**
     * Which seqs answer this query in a room that retains {@code oldestRetained..latest}:
     * the bounds narrowed to what is retained, then cut to {@code limit} at the end the query
     * reads from; {@code hasMore} when retained messages lie beyond the page in its direction.
     */
    public Page pageWithin(long oldestRetained, long latest) {
        long low = Math.max(oldestRetained, after.isPresent() ? after.getAsLong() + 1 : 1);
        long high = Math.min(latest, before.isPresent() ? before.getAsLong() - 1 : latest);
        if (high < low) {
            return new Page(low, low - 1, false);
        }
        if (ascending()) {
            long to = Math.min(high, low + limit - 1);
            return new Page(low, to, to < high);
        }
        long from = Math.max(low, high - limit + 1);
        return new Page(from, high, from > low);
    }
}
