package dev.parley.domain;

import java.util.Objects;

/** Where a client is in a room's stream: the last seq it saw, in which epoch. */
public record StreamPosition(long seq, Epoch epoch) {
    /** Seqs travel as JSON numbers, exact up to 2^53. */
    public static final long MAX_SEQ = 1L << 53;

    public StreamPosition {
        Objects.requireNonNull(epoch, "epoch");
        if (!isValidSeq(seq)) {
            throw new IllegalArgumentException("seq must be in 0.." + MAX_SEQ + ": " + seq);
        }
    }

    public static boolean isValidSeq(long seq) {
        return seq >= 0 && seq <= MAX_SEQ;
    }

    public static Validated<StreamPosition> parse(long seq, String epoch) {
        if (!isValidSeq(seq)) {
            return Validated.invalid(Violation.MALFORMED, "seq must be an integer in 0..2^53");
        }
        return Epoch.parse(epoch).map(e -> new StreamPosition(seq, e));
    }
}
