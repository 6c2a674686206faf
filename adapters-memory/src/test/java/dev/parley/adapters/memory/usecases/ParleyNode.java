package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.InMemoryFanOut;
import dev.parley.adapters.memory.InMemoryMessageStore;
import dev.parley.adapters.memory.InMemoryPresenceStore;
import dev.parley.application.RecordingDelivery;
import dev.parley.application.port.in.ConnectCommand;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.application.service.ChatService;
import dev.parley.application.service.ConnectionService;
import dev.parley.application.service.LocalRooms;
import dev.parley.application.service.MembershipService;
import dev.parley.application.service.RoomQueryService;
import dev.parley.application.service.Sessions;
import dev.parley.application.service.TypingService;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.ErrorCode;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageText;
import dev.parley.domain.Principal;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.RoomName;
import dev.parley.domain.StreamPosition;
import dev.parley.domain.User;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Parley node as bootstrap wires it, on the in-memory adapters (each behind a wrapper the
 * tests can control), with a {@link RecordingDelivery} in place of the WebSocket adapter.
 * {@link Client} drives it as a connection would.
 */
final class ParleyNode implements AutoCloseable {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    final Limits limits;
    final InMemoryMessageStore memoryStore;
    final ControllableStore store;
    final InMemoryFanOut memoryFanOut = new InMemoryFanOut();
    final ControllableFanOut fanOut = new ControllableFanOut(memoryFanOut);
    final InMemoryPresenceStore memoryPresence = new InMemoryPresenceStore();
    final ControllablePresence presence = new ControllablePresence(memoryPresence);
    final RecordingDelivery delivery = new RecordingDelivery();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Sessions sessions = new Sessions();
    final LocalRooms rooms;
    final ConnectionService connections;
    final MembershipService membership;
    final ChatService chat;
    final TypingService typing;
    final RoomQueryService queries;
    private final AtomicLong requestIds = new AtomicLong();

    private ParleyNode(Limits limits, int retention, Duration gapWait) {
        this.limits = limits;
        this.memoryStore = new InMemoryMessageStore(Clock.systemUTC(), retention);
        this.store = new ControllableStore(memoryStore);
        RoomAccessPolicy policy = new RoomAccessPolicy(limits);
        this.rooms = new LocalRooms(store, fanOut, delivery, timer, gapWait);
        this.membership = new MembershipService(sessions, rooms, store, presence, fanOut, policy, delivery);
        this.connections = new ConnectionService(sessions, presence, membership, limits);
        this.chat = new ChatService(sessions, store, fanOut, policy, delivery);
        this.typing = new TypingService(sessions, fanOut, policy, delivery);
        this.queries = new RoomQueryService(sessions, store, presence, policy, delivery);
    }

    static ParleyNode start() {
        return builder().start();
    }

    static Builder builder() {
        return new Builder();
    }

    static final class Builder {
        private Limits limits = Limits.DEFAULTS;
        private int retention = InMemoryMessageStore.DEFAULT_RETENTION;
        private Duration gapWait = Duration.ofMillis(50);

        Builder limits(Limits value) {
            this.limits = value;
            return this;
        }

        Builder retention(int value) {
            this.retention = value;
            return this;
        }

        Builder gapWait(Duration value) {
            this.gapWait = value;
            return this;
        }

        ParleyNode start() {
            return new ParleyNode(limits, retention, gapWait);
        }
    }

    /** {@link Limits#DEFAULTS} with smaller room, connection and member limits. */
    static Limits limits(int roomsPerConnection, int connectionsPerUser, int membersPerRoom) {
        Limits d = Limits.DEFAULTS;
        return new Limits(d.maxTextCodePoints(), d.maxDataBytes(), d.maxDataDepth(), d.maxFrameBytes(),
                roomsPerConnection, connectionsPerUser, membersPerRoom, d.defaultHistoryLimit(), d.maxHistoryLimit());
    }

    RequestId nextRequestId() {
        return RequestId.of("req-" + requestIds.incrementAndGet());
    }

    ConnectOutcome tryConnect(ConnectionId connection, Principal principal) {
        return await(connections.connect(new ConnectCommand(connection, principal)));
    }

    Client connect(String userId, String... grants) {
        User user = User.named(userId);
        Principal principal = new Principal(user, RoomGrants.of(grants));
        ConnectionId connection = ConnectionId.random();
        assertThat(tryConnect(connection, principal)).isEqualTo(ConnectOutcome.ADMITTED);
        return new Client(connection, principal);
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + ANSWER_TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One connection of this node, driven as a client would. */
    final class Client {
        final ConnectionId id;
        final Principal principal;

        private Client(ConnectionId id, Principal principal) {
            this.id = id;
            this.principal = principal;
        }

        User user() {
            return principal.user();
        }

        // --- requests that are answered -------------------------------------------------------

        /** Joins and returns the reply to the join: its ack or error. */
        ServerMessage joinReply(RoomName room, Optional<StreamPosition> since) {
            RequestId request = nextRequestId();
            await(membership.join(new JoinRoomCommand(id, request, room, since)));
            return onlyReplyTo(request);
        }

        ServerMessage.JoinAck join(RoomName room) {
            return join(room, Optional.empty());
        }

        ServerMessage.JoinAck join(RoomName room, Optional<StreamPosition> since) {
            return ackPayload(joinReply(room, since), ServerMessage.JoinAck.class);
        }

        ErrorCode joinRefused(RoomName room) {
            return errorCode(joinReply(room, Optional.empty()));
        }

        ServerMessage leaveReply(RoomName room) {
            RequestId request = nextRequestId();
            await(membership.leave(new LeaveRoomCommand(id, request, room)));
            return onlyReplyTo(request);
        }

        ServerMessage chatReply(RoomName room, RequestId request, String text) {
            await(chat.send(new SendChatCommand(id, request, room, new MessageText(text), Optional.empty())));
            return onlyReplyTo(request);
        }

        ServerMessage.ChatAck send(RoomName room, String text) {
            return send(room, nextRequestId(), text);
        }

        ServerMessage.ChatAck send(RoomName room, RequestId request, String text) {
            return ackPayload(chatReply(room, request, text), ServerMessage.ChatAck.class);
        }

        ErrorCode sendRefused(RoomName room, String text) {
            return errorCode(chatReply(room, nextRequestId(), text));
        }

        /** Typing has no reply unless refused: the error, if any. */
        Optional<ServerMessage.Error> typing(RoomName room, boolean active) {
            RequestId request = nextRequestId();
            await(typing.typing(new SendTypingCommand(id, Optional.of(request), room, active)));
            return delivery.errorTo(id, request);
        }

        ServerMessage historyReply(HistoryQuery query) {
            RequestId request = nextRequestId();
            await(queries.history(new QueryHistoryCommand(id, request, query)));
            return onlyReplyTo(request);
        }

        HistoryPage history(RoomName room, OptionalLong after, OptionalLong before, int limit) {
            return ackPayload(historyReply(new HistoryQuery(room, after, before, limit)),
                    ServerMessage.HistoryAck.class).page();
        }

        ServerMessage presenceReply(RoomName room) {
            RequestId request = nextRequestId();
            await(queries.presence(new QueryPresenceCommand(id, request, room)));
            return onlyReplyTo(request);
        }

        List<User> presence(RoomName room) {
            return ackPayload(presenceReply(room), ServerMessage.PresenceAck.class).members();
        }

        void disconnect() {
            await(connections.disconnect(id));
        }

        // --- what it received -------------------------------------------------------------------

        List<ServerMessage> received() {
            return delivery.to(id);
        }

        List<ChatMessage> chats() {
            return delivery.chatsTo(id);
        }

        List<Long> chatSeqs() {
            return delivery.chatSeqsTo(id);
        }

        List<ServerMessage.Presence> presenceEvents() {
            return delivery.to(id, ServerMessage.Presence.class);
        }

        List<ServerMessage.Typing> typingEvents() {
            return delivery.to(id, ServerMessage.Typing.class);
        }

        private ServerMessage onlyReplyTo(RequestId request) {
            List<ServerMessage> replies = delivery.repliesTo(id, request);
            assertThat(replies).as("replies to %s", request).hasSize(1);
            return replies.get(0);
        }
    }

    static <T extends ServerMessage.AckPayload> T ackPayload(ServerMessage reply, Class<T> type) {
        assertThat(reply).as("reply").isInstanceOf(ServerMessage.Ack.class);
        ServerMessage.AckPayload payload = ((ServerMessage.Ack) reply).payload();
        assertThat(payload).isInstanceOf(type);
        return type.cast(payload);
    }

    static ErrorCode errorCode(ServerMessage reply) {
        assertThat(reply).as("reply").isInstanceOf(ServerMessage.Error.class);
        return ((ServerMessage.Error) reply).code();
    }
}
