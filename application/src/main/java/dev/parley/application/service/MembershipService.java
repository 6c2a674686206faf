package dev.parley.application.service;

import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.JoinRoomUseCase;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.LeaveRoomUseCase;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.AccessDecision;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.PresenceChange;
import dev.parley.domain.RecoveryDecision;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.User;
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
    private final RoomAccessPolicy policy;
    private final Replies replies;

    public MembershipService(Sessions sessions, LocalRooms rooms, MessageStore store, PresenceStore presence,
                             FanOut fanOut, RoomAccessPolicy policy, Delivery delivery) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.rooms = Objects.requireNonNull(rooms, "rooms");
        this.store = Objects.requireNonNull(store, "store");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.replies = new Replies(Objects.requireNonNull(delivery, "delivery"));
    }

    @Override
    public CompletableFuture<Void> join(JoinRoomCommand command) {
        Optional<Session> found = sessions.find(command.connection());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Session session = found.get();
        RoomName room = command.room();
        AccessDecision access = policy.mayAccess(session.principal(), room);
        if (access instanceof AccessDecision.Refused refused) {
            replies.refuse(session.id(), Optional.of(command.requestId()), refused);
            return CompletableFuture.completedFuture(null);
        }
        return presence.members(room).handle((present, failure) -> {
            if (failure != null) {
                replies.unavailable(session.id(), Optional.of(command.requestId()), failure);
                return CompletableFuture.<Void>completedFuture(null);
            }
            User user = session.principal().user();
            boolean alreadyPresent = present.stream().anyMatch(member -> member.id().equals(user.id()));
            AccessDecision decision = policy.mayJoin(session.principal(), room, session.roomCount(),
                    session.inRoom(room), present.size(), alreadyPresent);
            if (decision instanceof AccessDecision.Refused refused) {
                replies.refuse(session.id(), Optional.of(command.requestId()), refused);
                return CompletableFuture.<Void>completedFuture(null);
            }
            return attachAndAnswer(session, command);
        }).thenCompose(next -> next);
    }

    private CompletableFuture<Void> attachAndAnswer(Session session, JoinRoomCommand command) {
        RoomName room = command.room();
        User user = session.principal().user();
        if (!session.addRoom(room)) {
            // The connection closed while the join was under way: nobody is left to answer.
            return CompletableFuture.completedFuture(null);
        }
        LocalRooms.Attachment attachment = rooms.attach(room, session.id());
        CompletableFuture<PresenceChange> presenceChange = presence.join(room, session.id(), user);
        CompletableFuture<RoomStreamState> state = attachment.roomReady()
                // The room's first read may be older than this join; read again so the ack's
                // seq is at least everything released before this member attached.
                .thenCompose(ignored -> store.streamState(room));
        return presenceChange.thenCombine(state, JoinState::new)
                .thenCompose(joined -> replay(command, joined))
                .thenCompose(joined -> presence.members(room).thenApply(joined::withMembers))
                .handle((joined, failure) -> {
                    if (failure != null) {
                        rooms.abandon(attachment);
                        session.removeRoom(room);
                        presence.leave(room, session.id(), user.id());
                        replies.unavailable(session.id(), Optional.of(command.requestId()), failure);
                        return null;
                    }
                    ServerMessage.Ack ack = new ServerMessage.Ack(command.requestId(), new ServerMessage.JoinAck(
                            room, joined.state.epoch(), joined.state.latestSeq(), joined.recovered,
                            joined.replay.size(), joined.members));
                    if (!session.inRoom(room)) {
                        // The connection left the room or closed while the join was under way. Its
                        // leave may have reached the presence store before this join did: undo both.
                        // The join is still answered (joined, then left), so no request goes unanswered.
                        rooms.abandon(attachment);
                        presence.leave(room, session.id(), user.id());
                        if (!session.isClosed()) {
                            replies.ack(session.id(), command.requestId(), ack.payload());
                        }
                        return null;
                    }
                    // The others hear of the arrival before the joiner hears its ack: published
                    // after it, the event could reach a member who joined once the ack was out,
                    // with a presence (and count) older than that member's own ack.
                    if (joined.change instanceof PresenceChange.Joined arrived && rooms.isJoining(attachment)) {
                        publish(new RoomEvent.PresenceChanged(room, true, arrived.user(), arrived.count(),
                                session.id()));
                    }
                    if (!rooms.complete(attachment, ack, joined.state.latestSeq(), joined.replay)
                            && !session.isClosed()) {
                        // A later join of this connection to this room overtook this one: that join
                        // delivers the room, and this one is still answered.
                        replies.ack(session.id(), command.requestId(), ack.payload());
                    }
                    return null;
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
    public CompletableFuture<Void> leave(LeaveRoomCommand command) {
        Optional<Session> session = sessions.find(command.connection());
        if (session.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return leaveQuietly(session.get(), command.room())
                .handle((ignored, failure) -> {
                    replies.ack(command.connection(), command.requestId(), new ServerMessage.LeaveAck(command.room()));
                    return null;
                });
    }

    /** Leaves without a reply, as a closing connection does. Local delivery stops at once. */
    CompletableFuture<Void> leaveQuietly(Session session, RoomName room) {
        if (!session.removeRoom(room)) {
            return CompletableFuture.completedFuture(null);
        }
        rooms.detach(room, session.id());
        return presence.leave(room, session.id(), session.principal().id()).thenAccept(change -> {
            if (change instanceof PresenceChange.Left left) {
                publish(new RoomEvent.PresenceChanged(room, false, left.user(), left.count(), session.id()));
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
    }
}
