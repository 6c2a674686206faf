package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.User;
import java.util.List;
import java.util.Objects;

/** What the operator learns of one room. */
public sealed interface RoomOutcome permits RoomOutcome.Room, Unavailable {

    /** Its present users in arrival order, and its stream: epoch, latest seq, oldest retained seq. */
    record Room(RoomName room, List<User> members, RoomStreamState stream) implements RoomOutcome {
        public Room {
            Objects.requireNonNull(room, "room");
            members = List.copyOf(members);
            Objects.requireNonNull(stream, "stream");
        }

        /** How many of the room's messages the history still holds (seqs are gap-free). */
        public long historyDepth() {
            return stream.latestSeq() - stream.oldestRetainedSeq() + 1;
        }
    }
}
