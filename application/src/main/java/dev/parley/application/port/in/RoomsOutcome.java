package dev.parley.application.port.in;

import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.RoomStreamState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The rooms with members, across all nodes. */
public sealed interface RoomsOutcome permits RoomsOutcome.Rooms, Unavailable {

    /** By name (code-point order); {@code hasMore} when the limit left some out. */
    record Rooms(List<RoomSummary> rooms, boolean hasMore) implements RoomsOutcome {
        public Rooms {
            rooms = List.copyOf(rooms);
        }
    }

    /** A room's occupancy and, when asked for, its stream state. */
    record RoomSummary(RoomOccupancy occupancy, Optional<RoomStreamState> stream) {
        public RoomSummary {
            Objects.requireNonNull(occupancy, "occupancy");
            Objects.requireNonNull(stream, "stream");
        }
    }
}
