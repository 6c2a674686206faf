package dev.parley.client;

import dev.parley.domain.User;

/** Another connection's user started ({@code active}) or stopped typing in {@code room}. */
public record TypingEvent(String room, User user, boolean active) {
}
