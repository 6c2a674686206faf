package dev.parley.application.service;

import dev.parley.application.port.in.DisconnectUserCommand;
import dev.parley.application.port.in.DisconnectUserOutcome;
import dev.parley.application.port.in.DisconnectUserUseCase;
import dev.parley.application.port.in.QueryUserConnectionsUseCase;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.in.UserConnectionsOutcome;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.DisconnectReason;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeReport;
import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.NodeId;
import dev.parley.domain.UserId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A user's connections on every node, for the operator: each node knows its own, so the question
 * goes to all of them over the {@link NodeSignals} and the answers are gathered until every live
 * node of the {@link NodeDirectory} has answered, or {@code patience} has passed (a node that
 * died a moment ago is still listed until its report expires: its connections are gone anyway).
 */
public final class UserConnectionsService implements QueryUserConnectionsUseCase, DisconnectUserUseCase {
    private final NodeId node;
    private final Sessions sessions;
    private final NodeSignals signals;
    private final NodeDirectory directory;
    private final Delivery delivery;
    private final ScheduledExecutorService timer;
    private final Duration patience;
    private final ConcurrentHashMap<UUID, Gathering> gatherings = new ConcurrentHashMap<>();

    public UserConnectionsService(NodeId node, Sessions sessions, NodeSignals signals, NodeDirectory directory,
                                  Delivery delivery, ScheduledExecutorService timer, Duration patience) {
        this.node = Objects.requireNonNull(node, "node");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.signals = Objects.requireNonNull(signals, "signals");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.patience = Objects.requireNonNull(patience, "patience");
        signals.subscribe(this::onSignal);
    }

    @Override
    public CompletableFuture<UserConnectionsOutcome> connections(UserId user) {
        return gather(user)
                .thenApply(found -> (UserConnectionsOutcome) new UserConnectionsOutcome.Connections(user, found))
                .exceptionally(Unavailable::because);
    }

    /** Counts the user's connections, then tells every node to close them. */
    @Override
    public CompletableFuture<DisconnectUserOutcome> disconnect(DisconnectUserCommand command) {
        return gather(command.user())
                .thenCompose(found -> signals.publish(new NodeSignals.DisconnectUser(command.user()))
                        .thenApply(published -> (DisconnectUserOutcome) new DisconnectUserOutcome.Requested(found.size())))
                .exceptionally(Unavailable::because);
    }

    private CompletableFuture<List<UserConnection>> gather(UserId user) {
        return directory.nodes().thenCompose(nodes -> {
            Set<NodeId> expected = new HashSet<>();
            nodes.stream().map(NodeReport::node).forEach(expected::add);
            expected.add(node);
            UUID request = UUID.randomUUID();
            Gathering gathering = new Gathering(expected);
            gatherings.put(request, gathering);
            timer.schedule(gathering::finish, patience.toMillis(), TimeUnit.MILLISECONDS);
            gathering.result.whenComplete((found, failure) -> gatherings.remove(request));
            return signals.publish(new NodeSignals.FindConnections(request, user))
                    .whenComplete((published, failure) -> {
                        if (failure != null) {
                            gathering.result.completeExceptionally(failure);
                        }
                    })
                    .thenCompose(published -> gathering.result);
        });
    }

    /** A signal from any node: this node answers for, or closes, the connections it holds. */
    private void onSignal(NodeSignals.Signal signal) {
        if (signal instanceof NodeSignals.DisconnectUser disconnect) {
            for (UserConnection connection : sessions.connectionsOf(disconnect.user(), node)) {
                delivery.disconnect(connection.id(), DisconnectReason.BY_OPERATOR);
            }
        } else if (signal instanceof NodeSignals.FindConnections find) {
            signals.publish(new NodeSignals.ConnectionsFound(find.request(), node,
                    sessions.connectionsOf(find.user(), node)));
        } else if (signal instanceof NodeSignals.ConnectionsFound found) {
            Gathering gathering = gatherings.get(found.request());
            if (gathering != null) {
                gathering.add(found);
            }
        }
    }

    /** The answers to one question so far; complete once every expected node answered, or at the deadline. */
    private static final class Gathering {
        private final Set<NodeId> waitingFor;
        private final List<UserConnection> found = new ArrayList<>();
        private final CompletableFuture<List<UserConnection>> result = new CompletableFuture<>();

        Gathering(Set<NodeId> expected) {
            this.waitingFor = new HashSet<>(expected);
        }

        synchronized void add(NodeSignals.ConnectionsFound answer) {
            found.addAll(answer.connections());
            waitingFor.remove(answer.node());
            if (waitingFor.isEmpty()) {
                finish();
            }
        }

        synchronized void finish() {
            found.sort(Comparator.comparing(UserConnection::connectedAt).thenComparing(c -> c.id().value()));
            result.complete(List.copyOf(found));
        }
    }
}
