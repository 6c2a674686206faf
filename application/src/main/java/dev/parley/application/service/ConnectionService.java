package dev.parley.application.service;

import dev.parley.application.port.in.ConnectCommand;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.ConnectUseCase;
import dev.parley.application.port.in.DisconnectUseCase;
import dev.parley.application.port.in.NotConnected;

import dev.parley.application.port.in.SignInCommand;
import dev.parley.application.port.in.SignInOutcome;
import dev.parley.application.port.in.SignInUseCase;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Limits;
import dev.parley.domain.RoomName;
import dev.parley.domain.Session;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Opens and closes sessions; a closing session leaves its rooms and frees its user slot. An
 * anonymous session may sign in once.
 */
public final class ConnectionService
        implements ConnectUseCase, SignInUseCase, DisconnectUseCase {
    private final Sessions sessions;
    private final PresenceStore presence;
    private final MembershipService membership;
    private final Limits limits;

    public ConnectionService(Sessions sessions, PresenceStore presence, MembershipService membership, Limits limits) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.membership = Objects.requireNonNull(membership, "membership");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    @Override
    public CompletableFuture<ConnectOutcome> connect(ConnectCommand command) {
        return presence.admitConnection(command.principal().id(), command.connection(), limits.maxConnectionsPerUser())
                .handle((admitted, failure) -> {
                    if (failure != null) {
                        return Unavailable.because(failure);
                    }
                    if (!admitted) {
                        return new ConnectOutcome.TooManyConnections(limits.maxConnectionsPerUser());
                    }
                    sessions.open(command.connection(), command.principal());
                    return new ConnectOutcome.Admitted();
                });
    }

    @Override
    public CompletableFuture<SignInOutcome> signIn(SignInCommand command) {
        Optional<Session> found = sessions.find(command.connection());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(new NotConnected());
        }
        Session session = found.get();
        UserId before;
        synchronized (session) {
            before = session.principal().id();
        }
        UserId after = command.principal().id();
        return presence.admitConnection(after, command.connection(), limits.maxConnectionsPerUser())
                .handle((admitted, failure) -> {
                    if (failure != null) {
                        return CompletableFuture.<SignInOutcome>completedFuture(Unavailable.because(failure));
                    }
                    if (!admitted) {
                        return CompletableFuture.<SignInOutcome>completedFuture(
                                new ConnectOutcome.TooManyConnections(limits.maxConnectionsPerUser()));
                    }
                    synchronized (session) {
                        session.signIn(command.principal());
                    }
                    CompletableFuture<Void> released = before.equals(after)
                            ? CompletableFuture.completedFuture(null)
                            : presence.releaseConnection(before, command.connection());
                    return released.handle((ignored, releaseFailure) -> (SignInOutcome) new SignInOutcome.SignedIn());
                })
                .thenCompose(next -> next);
    }

    @Override
    public CompletableFuture<Void> disconnect(ConnectionId connection) {
        return sessions.remove(connection)
                .map(session -> {
                    Map<RoomName, User> rooms;
                    UserId user;
                    synchronized (session) {
                        rooms = session.close();
                        user = session.principal().id();
                    }
                    return CompletableFuture.allOf(rooms.entrySet().stream()
                                    .map(room -> membership.depart(connection, room.getValue().id(), room.getKey()))
                                    .toArray(CompletableFuture[]::new))
                            .handle((ignored, failure) -> null)
                            .thenCompose(ignored -> presence.releaseConnection(user, connection));
                })
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }
}
