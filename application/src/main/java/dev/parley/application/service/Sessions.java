package dev.parley.application.service;

import dev.parley.domain.ConnectionId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** This node's open sessions. */
public final class Sessions {
    private final ConcurrentHashMap<ConnectionId, Session> byId = new ConcurrentHashMap<>();

    void add(Session session) {
        byId.put(session.id(), session);
    }

    Optional<Session> remove(ConnectionId id) {
        return Optional.ofNullable(byId.remove(id));
    }

    public Optional<Session> find(ConnectionId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return byId.size();
    }
}
