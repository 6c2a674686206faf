package dev.parley.application.port.in;

import dev.parley.application.port.out.RoomOccupancy;
import java.util.List;

/** The rooms with members, across all nodes. */
public sealed interface RoomsOutcome permits RoomsOutcome.Rooms, Unavailable {

    /** By name. */
    record Rooms(List<RoomOccupancy> rooms) implements RoomsOutcome {
        public Rooms {
            rooms = List.copyOf(rooms);
        }
    }
}
