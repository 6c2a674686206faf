package dev.parley.application.service;

import dev.parley.application.port.in.ConnectCommand;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.ConnectUseCase;
import dev.parley.application.port.in.DisconnectUseCase;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Limits;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Opens and closes sessions; a closing session leaves its rooms and frees its user slot. */
public final class ConnectionService implements ConnectUseCase, DisconnectUseCase {
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
    public CompletableFuture<Void> disconnect(ConnectionId connection) {
        return sessions.remove(connection)
                .map(session -> {
                    Set<RoomName> rooms;
                    synchronized (session) {
                        rooms = session.close();
                    }
                    return CompletableFuture.allOf(rooms.stream()
                                    .map(room -> membership.depart(connection, session.principal().id(), room))
                                    .toArray(CompletableFuture[]::new))
                            .handle((ignored, failure) -> null)
                            .thenCompose(ignored -> presence.releaseConnection(session.principal().id(), connection));
                })
                .orElseGet(() -> CompletableFuture.completedFuture(null));
    }
}
