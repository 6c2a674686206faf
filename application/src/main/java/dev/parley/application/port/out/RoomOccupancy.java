package dev.parley.application.port.out;

import dev.parley.domain.RoomName;
import java.util.Objects;

/** A room with members: its distinct users and their connections in it, across all nodes. */
public record RoomOccupancy(RoomName room, int users, int connections) {
    public RoomOccupancy {
        Objects.requireNonNull(room, "room");
        if (users < 1 || connections < users) {
            throw new IllegalArgumentException("an occupied room has users, each with a connection: " + users
                    + " users, " + connections + " connections");
        }
    }
}
