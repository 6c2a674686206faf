package dev.parley.application.service;

import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryHistoryUseCase;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.QueryPresenceUseCase;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.AccessDecision;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Reading a room: its history and who is present. Needs the right to join, not a join. */
public final class RoomQueryService implements QueryHistoryUseCase, QueryPresenceUseCase {
    private final Sessions sessions;
    private final MessageStore store;
    private final PresenceStore presence;
    private final RoomAccessPolicy policy;
    private final Replies replies;

    public RoomQueryService(Sessions sessions, MessageStore store, PresenceStore presence, RoomAccessPolicy policy,
                            Delivery delivery) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.store = Objects.requireNonNull(store, "store");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.replies = new Replies(Objects.requireNonNull(delivery, "delivery"));
    }

    @Override
    public CompletableFuture<Void> history(QueryHistoryCommand command) {
        return answer(command.connection(), command.requestId(), command.query().room(),
                room -> page(command.query()).thenApply(ServerMessage.HistoryAck::new));
    }

    @Override
    public CompletableFuture<HistoryPage> page(HistoryQuery query) {
        return store.history(query);
    }

    @Override
    public CompletableFuture<Void> presence(QueryPresenceCommand command) {
        return answer(command.connection(), command.requestId(), command.room(),
                room -> members(room).thenApply(members -> new ServerMessage.PresenceAck(room, members)));
    }

    @Override
    public CompletableFuture<List<User>> members(RoomName room) {
        return presence.members(room);
    }

    private CompletableFuture<Void> answer(ConnectionId connection, RequestId requestId,
                                           RoomName room,
                                           Function<RoomName, CompletableFuture<? extends ServerMessage.AckPayload>> query) {
        Optional<Session> session = sessions.find(connection);
        if (session.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        AccessDecision access = policy.mayAccess(session.get().principal(), room);
        if (access instanceof AccessDecision.Refused refused) {
            replies.refuse(connection, Optional.of(requestId), refused);
            return CompletableFuture.completedFuture(null);
        }
        return query.apply(room).handle((payload, failure) -> {
            if (failure != null) {
                replies.unavailable(connection, Optional.of(requestId), failure);
            } else {
                replies.ack(connection, requestId, payload);
            }
            return null;
        });
    }
}
