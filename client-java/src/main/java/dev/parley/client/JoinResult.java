package dev.parley.client;

import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import java.util.List;

/**
 * The answer to a join: the room's latest position, whether the missed messages could be
 * replayed, and who is present.
 */
public record JoinResult(String room, StreamPosition position, boolean recovered, long replay, List<User> presence) {
    public JoinResult {
        presence = List.copyOf(presence);
    }
}
