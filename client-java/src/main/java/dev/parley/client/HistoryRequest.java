package dev.parley.client;

import java.util.OptionalInt;
import java.util.OptionalLong;

/** Which page of history to fetch (docs/protocol.md section 3): the newest, the newest below a seq, or the oldest above one. */
public record HistoryRequest(OptionalLong before, OptionalLong after, OptionalInt limit) {
    public static HistoryRequest latest(int limit) {
        return new HistoryRequest(OptionalLong.empty(), OptionalLong.empty(), OptionalInt.of(limit));
    }

    public static HistoryRequest before(long seq, int limit) {
        return new HistoryRequest(OptionalLong.of(seq), OptionalLong.empty(), OptionalInt.of(limit));
    }

    public static HistoryRequest after(long seq, int limit) {
        return new HistoryRequest(OptionalLong.empty(), OptionalLong.of(seq), OptionalInt.of(limit));
    }
}
