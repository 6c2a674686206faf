package dev.parley.application.service;

import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.JoinRoomUseCase;
import dev.parley.application.port.in.LeaveOutcome;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.LeaveRoomUseCase;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.JoinDecision;
import dev.parley.domain.JoinTicket;
import dev.parley.domain.Occupancy;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RecoveryDecision;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.Session;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Joining and leaving rooms: access, limits, presence, and recovery from a position. */
public final class MembershipService implements JoinRoomUseCase, LeaveRoomUseCase {
    private static final System.Logger LOG = System.getLogger(MembershipService.class.getName());

    private final Sessions sessions;
    private final LocalRooms rooms;
    private final MessageStore store;
    private final PresenceStore presence;
    private final FanOut fanOut;

    public MembershipService(Sessions sessions, LocalRooms rooms, MessageStore store, PresenceStore presence,
                             FanOut fanOut) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.store = Objects.requireNonNull(store, "store");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
    }

    @Override
    public CompletableFuture<JoinOutcome> join(JoinRoomCommand command) {
        RoomName room = command.room();
        return sessions.serve(command.connection(), session -> session.mayRead(room), JoinOutcome.class::cast,
                session -> presence.members(room).handle((present, failure) -> {
                    if (failure != null) {
                        return CompletableFuture.<JoinOutcome>completedFuture(Unavailable.because(failure));
                    }
                    JoinDecision decision;
                    synchronized (session) {
                        User member = command.member().orElse(session.principal().user());
                        decision = session.join(room, Occupancy.of(present, member.id()), member);
                    }
                    if (decision instanceof JoinDecision.Admitted admitted) {
                        return attachAndAnswer(session, command, admitted.ticket());
                    }
                    JoinOutcome refused = decision instanceof JoinDecision.Refused refusal
                            ? Refused.of(refusal.refusal()) : new NotConnected();
                    return CompletableFuture.completedFuture(refused);
                }).thenCompose(next -> next));
    }

    private CompletableFuture<JoinOutcome> attachAndAnswer(Session session, JoinRoomCommand command, JoinTicket ticket) {
        RoomName room = command.room();
        User user;
        synchronized (session) {
            user = session.memberIn(room).orElseThrow();
        }
        CompletableFuture<RoomStreamState> roomReady = rooms.attach(ticket);
        CompletableFuture<PresenceChange> presenceChange = presence.join(room, session.id(), user);
        CompletableFuture<RoomStreamState> state = roomReady
                // The room's first read may be older than this join; read again so the answer's
                // seq is at least everything released before this member attached.
                .thenCompose(ignored -> store.streamState(room));
        return presenceChange.thenCombine(state, JoinState::new)
                .thenCompose(joined -> replay(command, joined))
                .thenCompose(joined -> presence.members(room).thenApply(joined::withMembers))
                .handle((joined, failure) -> {
                    boolean current;
                    boolean stillIn;
                    synchronized (session) {
                        current = session.isCurrent(ticket);
                        stillIn = session.inRoom(room);
                        if (failure != null) {
                            session.abandon(ticket);
                        }
                    }
                    if (failure != null) {
                        rooms.abandon(ticket);
                        if (current || !stillIn) {
                            // The connection is out of the room now (this join failed, or it left
                            // meanwhile). A join overtaken by a later one leaves the presence to it.
                            undoPresence(session.id(), user, room, presenceChange);
                        }
                        return Unavailable.because(failure);
                    }
                    if (!stillIn) {
                        // The connection left the room or closed while the join was under way. Its
                        // leave may have reached the presence store before this join did: undo both.
                        // The join is still answered (joined, then left), so no request goes unanswered.
                        rooms.abandon(ticket);
                        presence.leave(room, session.id(), user.id());
                        return joined.answer(room, JoinOutcome.HandOver.NONE);
                    }
                    // The others hear of the arrival before the joiner hears its answer: published
                    // after it, the event could reach a member who joined once the answer was out,
                    // with a presence (and count) older than that member's own answer. A join
                    // overtaken by a rejoin announces it too: the rejoin found the user present.
                    if (joined.change instanceof PresenceChange.Joined arrived) {
                        publish(new RoomEvent.PresenceChanged(room, true, arrived.user(), arrived.count(),
                                session.id()));
                    }
                    // A later join of this connection to this room may have overtaken this one: then
                    // that join delivers the room, and this hand-over does nothing.
                    long answeredSeq = joined.state.latestSeq();
                    List<ChatMessage> replay = joined.replay;
                    return joined.answer(room, () -> rooms.handOver(ticket, answeredSeq, replay));
                });
    }

    /**
     * Takes a failed join's connection out of the room's presence. The others hear a leave only if
     * they had heard the user present: not when this very join would have been the arrival, which
     * was never announced.
     */
    private void undoPresence(ConnectionId connection, User member, RoomName room,
                              CompletableFuture<PresenceChange> joined) {
        boolean arrivalAnnounced = joined.isDone() && !joined.isCompletedExceptionally()
                && !(joined.join() instanceof PresenceChange.Joined);
        presence.leave(room, connection, member.id()).thenAccept(change -> {
            if (change instanceof PresenceChange.Left left && arrivalAnnounced) {
                publish(new RoomEvent.PresenceChanged(room, false, left.user(), left.count(), connection));
            }
        });
    }

    private CompletableFuture<JoinState> replay(JoinRoomCommand command, JoinState joined) {
        if (command.since().isEmpty()) {
            return CompletableFuture.completedFuture(joined);
        }
        RecoveryDecision decision = RecoveryDecision.decide(command.since().get(), joined.state);
        if (decision instanceof RecoveryDecision.Replay replay) {
            // Retention may prune between the state read and the range read: a short replay
            // would leave a hole, so it counts as not recovered.
            return store.range(command.room(), replay.afterSeq(), replay.throughSeq())
                    .thenApply(messages -> messages.size() == replay.count() ? joined.withReplay(messages) : joined);
        }
        return CompletableFuture.completedFuture(joined);
    }

    @Override
    public CompletableFuture<LeaveOutcome> leave(LeaveRoomCommand command) {
        Optional<Session> found = sessions.find(command.connection());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(new NotConnected());
        }
        Session session = found.get();
        Optional<User> wasIn;
        synchronized (session) {
            wasIn = session.leave(command.room());
        }
        CompletableFuture<Void> departed = wasIn
                .map(member -> depart(session.id(), member.id(), command.room()))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
        return departed.handle((ignored, failure) -> new LeaveOutcome.Left(command.room()));
    }

    /** A connection is out of a room (left, or closed): local delivery stops at once, presence follows. */
    CompletableFuture<Void> depart(ConnectionId connection, UserId user, RoomName room) {
        rooms.detach(room, connection);
        return presence.leave(room, connection, user).thenAccept(change -> {
            if (change instanceof PresenceChange.Left left) {
                publish(new RoomEvent.PresenceChanged(room, false, left.user(), left.count(), connection));
            }
        });
    }

    private void publish(RoomEvent event) {
        fanOut.publish(event).exceptionally(failure -> {
            LOG.log(Level.WARNING, "cannot publish " + event.getClass().getSimpleName() + " of room " + event.room()
                    + ": " + failure);
            return null;
        });
    }

    /** What a join has gathered before it can be answered. */
    private record JoinState(PresenceChange change, RoomStreamState state, boolean recovered,
                             List<ChatMessage> replay, List<User> members) {
        JoinState(PresenceChange change, RoomStreamState state) {
            this(change, state, false, List.of(), List.of());
        }

        JoinState withReplay(List<ChatMessage> messages) {
            return new JoinState(change, state, true, messages, members);
        }

        JoinState withMembers(List<User> present) {
            return new JoinState(change, state, recovered, replay, present);
        }

        JoinOutcome answer(RoomName room, JoinOutcome.HandOver handOver) {
            return new JoinOutcome.Joined(room, state.epoch(), state.latestSeq(), recovered, replay.size(), members,
                    handOver);
        }
    }
}
