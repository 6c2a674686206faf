package dev.parley.client;

import dev.parley.domain.User;
import java.util.List;
import java.util.Optional;

/**
 * Who is present in a room changed. {@code JOIN} and {@code LEAVE} name the user; {@code SYNC}
 * (after a join or rejoin) replaces the whole list. {@code members} is the list after the change.
 */
public record PresenceEvent(String room, Kind kind, Optional<User> user, List<User> members) {
    public enum Kind { JOIN, LEAVE, SYNC }

    public PresenceEvent {
        members = List.copyOf(members);
    }
}
