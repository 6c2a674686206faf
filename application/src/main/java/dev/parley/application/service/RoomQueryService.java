package dev.parley.application.service;

import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryHistoryUseCase;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.QueryPresenceUseCase;
import dev.parley.application.port.in.QueryRoomsCommand;
import dev.parley.application.port.in.QueryRoomUseCase;
import dev.parley.application.port.in.QueryRoomsUseCase;
import dev.parley.application.port.in.RoomOutcome;
import dev.parley.application.port.in.RoomsOutcome;
import dev.parley.application.port.in.Rejection;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Reading rooms: a room's history and who is present, and which rooms have members. A
 * connection needs the right to join the room, not a join; the operator reads any room.
 */
public final class RoomQueryService
        implements QueryHistoryUseCase, QueryPresenceUseCase, QueryRoomsUseCase, QueryRoomUseCase {
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
        return presence.rooms(command.prefix()).thenCompose(rooms -> {
            List<RoomOccupancy> page = new ArrayList<>(Math.min(rooms.size(), command.limit()));
            boolean hasMore = false;
            for (RoomOccupancy room : rooms) {
                if (command.after().isPresent() && room.room().value().compareTo(command.after().get().value()) <= 0) {
                    continue;
                }
                if (page.size() == command.limit()) {
                    hasMore = true;
                    break;
                }
                page.add(room);
            }
            boolean more = hasMore;
            return summaries(page, command.withStreams()).thenApply(summaries ->
                    (RoomsOutcome) new RoomsOutcome.Rooms(summaries, more));
        }).exceptionally(Unavailable::because);
    }

    private CompletableFuture<List<RoomsOutcome.RoomSummary>> summaries(List<RoomOccupancy> rooms, boolean withStreams) {
        List<CompletableFuture<Optional<RoomStreamState>>> streams = rooms.stream()
                .map(room -> withStreams ? store.streamState(room.room()).thenApply(Optional::of)
                        : CompletableFuture.completedFuture(Optional.<RoomStreamState>empty()))
                .toList();
        return CompletableFuture.allOf(streams.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<RoomsOutcome.RoomSummary> summaries = new ArrayList<>(rooms.size());
            for (int i = 0; i < rooms.size(); i++) {
                summaries.add(new RoomsOutcome.RoomSummary(rooms.get(i), streams.get(i).join()));
            }
            return summaries;
        });
    }

    @Override
    public CompletableFuture<RoomOutcome> room(RoomName room) {
        return presence.members(room).thenCombine(store.streamState(room),
                        (members, stream) -> (RoomOutcome) new RoomOutcome.Room(room, members, stream))
                .exceptionally(Unavailable::because);
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
