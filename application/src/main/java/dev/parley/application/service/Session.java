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
    private boolean closed;

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

    /**
     * Adds a room the connection is joining; false, and nothing added, once the session is
     * closed: a join that was under way when the connection closed must not outlive it.
     */
    synchronized boolean addRoom(RoomName room) {
        if (closed) {
            return false;
        }
        rooms.add(room);
        return true;
    }

    /** Closes the session: it takes no new room from now on. Returns the rooms it had joined. */
    synchronized Set<RoomName> close() {
        closed = true;
        return Set.copyOf(rooms);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    boolean removeRoom(RoomName room) {
        return rooms.remove(room);
    }
}
