package dev.parley.adapters.memory.usecases;

import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A presence store around the in-memory one whose answers can be held back, as a remote
 * store's answers arrive later than the call, and whose joins can be delayed, as a remote
 * store may apply commands sent on different connections in another order than they were sent.
 */
final class ControllablePresence implements PresenceStore {
    private final PresenceStore delegate;
    private final AtomicReference<CompletableFuture<Void>> membersHold = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> joinHold = new AtomicReference<>();

    ControllablePresence(PresenceStore delegate) {
        this.delegate = delegate;
    }

    /** Holds the answers of {@code members} calls made from now on until the returned future completes. */
    CompletableFuture<Void> holdMembers() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        membersHold.set(hold);
        return hold;
    }

    /** Joins asked from now on are carried out only when the returned future completes. */
    CompletableFuture<Void> holdJoins() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        joinHold.set(hold);
        return hold;
    }

    @Override
    public CompletableFuture<Boolean> admitConnection(UserId user, ConnectionId connection, int maxPerUser) {
        return delegate.admitConnection(user, connection, maxPerUser);
    }

    @Override
    public CompletableFuture<Void> releaseConnection(UserId user, ConnectionId connection) {
        return delegate.releaseConnection(user, connection);
    }

    @Override
    public CompletableFuture<PresenceChange> join(RoomName room, ConnectionId connection, User user) {
        CompletableFuture<Void> hold = joinHold.get();
        return hold == null ? delegate.join(room, connection, user)
                : hold.thenCompose(ignored -> delegate.join(room, connection, user));
    }

    @Override
    public CompletableFuture<PresenceChange> leave(RoomName room, ConnectionId connection, UserId user) {
        return delegate.leave(room, connection, user);
    }

    @Override
    public CompletableFuture<List<User>> members(RoomName room) {
        CompletableFuture<List<User>> answer = delegate.members(room);
        CompletableFuture<Void> hold = membersHold.get();
        return hold == null ? answer : hold.thenCompose(ignored -> answer);
    }

    @Override
    public CompletableFuture<List<RoomOccupancy>> rooms(String prefix) {
        return delegate.rooms(prefix);
    }
}
