package dev.parley.domain;

import java.util.Objects;

/**
 * Can a client that saw a room up to {@code since} be brought up to date by replaying what it
 * missed? Only when the epoch is the room's and every message after {@code since} is still
 * retained; otherwise it reloads with history.
 */
public sealed interface RecoveryDecision permits RecoveryDecision.Replay, RecoveryDecision.NotRecovered {

    static RecoveryDecision decide(StreamPosition since, RoomStreamState state) {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(state, "state");
        if (!since.epoch().equals(state.epoch())) {
            return new NotRecovered("epoch " + since.epoch() + " is not the room's epoch " + state.epoch());
        }
        if (since.seq() > state.latestSeq()) {
            return new NotRecovered("seq " + since.seq() + " is beyond the room's latest " + state.latestSeq());
        }
        if (since.seq() + 1 < state.oldestRetainedSeq()) {
            return new NotRecovered("messages after " + since.seq() + " are no longer retained");
        }
        return new Replay(since.seq(), state.latestSeq());
    }

    /** Replay the messages with seq in {@code (afterSeq, throughSeq]}, in order. */
    record Replay(long afterSeq, long throughSeq) implements RecoveryDecision {
        public Replay {
            if (afterSeq < 0 || throughSeq < afterSeq) {
                throw new IllegalArgumentException("bad replay range (" + afterSeq + ", " + throughSeq + "]");
            }
        }

        public int count() {
            return Math.toIntExact(throughSeq - afterSeq);
        }
    }

    record NotRecovered(String reason) implements RecoveryDecision {
        public NotRecovered {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
