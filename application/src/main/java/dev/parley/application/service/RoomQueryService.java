package dev.parley.application.service;

import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryHistoryUseCase;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.QueryPresenceUseCase;
import dev.parley.application.port.in.QueryRoomsCommand;
import dev.parley.application.port.in.QueryRoomsUseCase;
import dev.parley.application.port.in.RoomsOutcome;
import dev.parley.application.port.in.Rejection;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.domain.RoomName;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reading rooms: a room's history and who is present, and which rooms have members. A
 * connection needs the right to join the room, not a join; the operator reads any room.
 */
public final class RoomQueryService implements QueryHistoryUseCase, QueryPresenceUseCase, QueryRoomsUseCase {
    private final Sessions sessions;
    private final MessageStore store;
    private final PresenceStore presence;

    public RoomQueryService(Sessions sessions, MessageStore store, PresenceStore presence) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.store = Objects.requireNonNull(store, "store");
        this.presence = Objects.requireNonNull(presence, "presence");
    }

    @Override
    public CompletableFuture<HistoryOutcome> history(QueryHistoryCommand command) {
        return read(command.requester(), command.query().room(), HistoryOutcome.class::cast,
                () -> store.history(command.query()).handle((page, failure) ->
                        failure != null ? Unavailable.because(failure) : new HistoryOutcome.Page(page)));
    }

    @Override
    public CompletableFuture<PresenceOutcome> presence(QueryPresenceCommand command) {
        RoomName room = command.room();
        return read(command.requester(), room, PresenceOutcome.class::cast,
                () -> presence.members(room).handle((members, failure) ->
                        failure != null ? Unavailable.because(failure) : new PresenceOutcome.Members(room, members)));
    }

    @Override
    public CompletableFuture<RoomsOutcome> rooms(QueryRoomsCommand command) {
        return presence.rooms(command.prefix()).handle((rooms, failure) ->
                failure != null ? Unavailable.because(failure) : new RoomsOutcome.Rooms(rooms));
    }

    private <T> CompletableFuture<T> read(Requester requester, RoomName room,
                                          Function<? super Rejection, ? extends T> rejected,
                                          Supplier<CompletableFuture<T>> query) {
        if (requester instanceof Requester.Connection connection) {
            return sessions.serve(connection.id(), session -> session.mayRead(room), rejected, session -> query.get());
        }
        return query.get();
    }
}
