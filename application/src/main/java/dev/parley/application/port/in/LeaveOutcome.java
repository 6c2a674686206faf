package dev.parley.application.port.in;

import dev.parley.domain.RoomName;
import java.util.Objects;

/** What a leave did: the connection is out of the room (whether it was in it or not). */
public sealed interface LeaveOutcome permits LeaveOutcome.Left, NotConnected {

    record Left(RoomName room) implements LeaveOutcome {
        public Left {
            Objects.requireNonNull(room, "room");
        }
    }
}
