package dev.parley.application.port.in;

import dev.parley.domain.Epoch;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.List;
import java.util.Objects;

/** What a join did. */
public sealed interface JoinOutcome permits JoinOutcome.Joined, Rejection, Unavailable {

    /**
     * The connection is in the room at {@code latestSeq} of {@code epoch}. With a recovered
     * {@code since}, {@code replayed} messages follow. They, and everything live after them, reach
     * the connection through {@code Delivery} once the caller starts the {@link HandOver}: the
     * caller sends its answer to the join first, then calls {@link HandOver#deliver()}, so that
     * the answer comes first, then the replay, then live events, none missing or repeated.
     */
    record Joined(RoomName room, Epoch epoch, long latestSeq, boolean recovered, int replayed, List<User> presence,
                  HandOver handOver) implements JoinOutcome {
        public Joined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(epoch, "epoch");
            presence = List.copyOf(presence);
            Objects.requireNonNull(handOver, "handOver");
        }
    }

    /** Starts the room's delivery to a joined connection. Until it runs, what the room releases waits for it. */
    @FunctionalInterface
    interface HandOver {
        /** Nothing to hand over: the join was overtaken by a later one, or the connection left meanwhile. */
        HandOver NONE = () -> {
        };

        void deliver();
    }
}
