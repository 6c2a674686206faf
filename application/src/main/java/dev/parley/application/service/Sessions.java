package dev.parley.application.service;

import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.Rejection;
import dev.parley.domain.AccessDecision;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.Limits;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.Session;
import dev.parley.domain.UserId;
import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.NodeId;
import dev.parley.domain.RoomName;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * This node's open sessions. A {@link Session} is not thread-safe: whoever reads or changes one
 * holds its monitor ({@code synchronized (session)}) for that call.
 */
public final class Sessions {
    private final ConcurrentHashMap<ConnectionId, Session> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ConnectionId, Instant> openedAt = new ConcurrentHashMap<>();
    private final RoomAccessPolicy policy;
    private final Limits limits;
    private final Clock clock;

    public Sessions(RoomAccessPolicy policy, Limits limits, Clock clock) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void open(ConnectionId id, Principal principal) {
        openedAt.put(id, clock.instant());
        byId.put(id, new Session(id, principal, policy, limits));
    }

    Optional<Session> remove(ConnectionId id) {
        Optional<Session> removed = Optional.ofNullable(byId.remove(id));
        openedAt.remove(id);
        return removed;
    }

    Optional<Session> find(ConnectionId id) {
        return Optional.ofNullable(byId.get(id));
    }

    public int size() {
        return byId.size();
    }

    /** This node's connections acting as {@code user}, oldest first, each with its rooms. */
    List<UserConnection> connectionsOf(UserId user, NodeId node) {
        List<UserConnection> found = new ArrayList<>();
        for (Session session : byId.values()) {
            synchronized (session) {
                Instant since = openedAt.get(session.id());
                if (since != null && !session.isClosed() && session.principal().id().equals(user)) {
                    found.add(new UserConnection(session.id(), node, since,
                            session.rooms().stream().sorted(Comparator.comparing(RoomName::value)).toList()));
                }
            }
        }
        found.sort(Comparator.comparing(UserConnection::connectedAt));
        return found;
    }

    /**
     * The opening every request of a connection shares: find its session (else
     * {@link NotConnected}), ask {@code check} (else {@link Refused}), then do the work.
     *
     * @param rejected how a rejection reads as the request's outcome (e.g. {@code ChatOutcome.class::cast})
     */
    <T> CompletableFuture<T> serve(ConnectionId id, Function<Session, AccessDecision> check,
                                   Function<? super Rejection, ? extends T> rejected,
                                   Function<Session, CompletableFuture<T>> work) {
        Session session = byId.get(id);
        if (session == null) {
            return CompletableFuture.completedFuture(rejected.apply(new NotConnected()));
        }
        AccessDecision decision;
        synchronized (session) {
            decision = check.apply(session);
        }
        if (decision instanceof AccessDecision.Refused refusal) {
            return CompletableFuture.completedFuture(rejected.apply(Refused.of(refusal)));
        }
        return work.apply(session);
    }
}
