package dev.parley.application.service;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One open connection: who it is and which rooms it has joined. Thread-safe. */
public final class Session {
    private final ConnectionId id;
    private final Principal principal;
    private final Set<RoomName> rooms = ConcurrentHashMap.newKeySet();

    public Session(ConnectionId id, Principal principal) {
        this.id = Objects.requireNonNull(id, "id");
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    public ConnectionId id() {
        return id;
    }

    public Principal principal() {
        return principal;
    }

    public boolean inRoom(RoomName room) {
        return rooms.contains(room);
    }

    public int roomCount() {
        return rooms.size();
    }

    public Set<RoomName> rooms() {
        return Set.copyOf(rooms);
    }

    boolean addRoom(RoomName room) {
        return rooms.add(room);
    }

    boolean removeRoom(RoomName room) {
        return rooms.remove(room);
    }
}
