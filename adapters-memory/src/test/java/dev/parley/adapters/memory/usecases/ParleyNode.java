package dev.parley.adapters.memory.usecases;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.adapters.memory.InMemoryFanOut;
import dev.parley.adapters.memory.InMemoryMessageStore;
import dev.parley.adapters.memory.InMemoryNodeSignals;
import dev.parley.adapters.memory.InMemoryPresenceStore;
import dev.parley.application.RecordingDelivery;
import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.ConnectCommand;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveOutcome;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.application.port.in.TypingOutcome;
import dev.parley.adapters.memory.InMemoryNodeDirectory;
import dev.parley.application.port.out.AckLatency;
import dev.parley.application.service.ChatService;
import dev.parley.application.service.NodeActivity;
import dev.parley.application.service.NodeService;
import dev.parley.application.service.TraceService;
import dev.parley.application.service.UserConnectionsService;
import dev.parley.application.service.ConnectionService;
import dev.parley.application.service.EventService;
import dev.parley.application.service.LocalRooms;
import dev.parley.application.service.MembershipService;
import dev.parley.application.service.RoomQueryService;
import dev.parley.application.service.Sessions;
import dev.parley.application.service.TypingService;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Limits;
import dev.parley.domain.NodeId;
import dev.parley.domain.MessageText;
import dev.parley.domain.Principal;
import dev.parley.domain.Refusal;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.RoomEvent;
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
 * {@link Client} stands in for the driving adapter: it calls a use case, sends (records) its
 * outcome as the answer, and only then hands a join over, as the WebSocket adapter does, so a
 * connection's {@link Client#received()} reads as its wire would: the answer, then the events.
 */
final class ParleyNode implements AutoCloseable {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    static final NodeId NODE = NodeId.of("node-a");

    final Limits limits;
    final InMemoryMessageStore memoryStore;
    final ControllableStore store;
    final InMemoryFanOut memoryFanOut = new InMemoryFanOut();
    final ControllableFanOut fanOut = new ControllableFanOut(memoryFanOut);
    final InMemoryPresenceStore memoryPresence = new InMemoryPresenceStore();
    final ControllablePresence presence = new ControllablePresence(memoryPresence);
    final RecordingDelivery delivery = new RecordingDelivery();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Sessions sessions;
    final LocalRooms rooms;
    final InMemoryNodeSignals signals = new InMemoryNodeSignals();
    final ConnectionService connections;
    final EventService events;
    final MembershipService membership;
    final ChatService chat;
    final TypingService typing;
    final RoomQueryService queries;
    final TraceService traces;
    final UserConnectionsService users;
    final NodeActivity activity = new NodeActivity();
    final InMemoryNodeDirectory directory = new InMemoryNodeDirectory(Clock.systemUTC(), Duration.ofSeconds(30));
    /** What the front doors measured of their acks, as a test sets it. */
    volatile Optional<AckLatency> ackLatency = Optional.empty();
    final NodeService node;
    private final AtomicLong messageIds = new AtomicLong();

    private ParleyNode(Limits limits, int retention, Duration gapWait) {
        this.limits = limits;
        this.memoryStore = new InMemoryMessageStore(Clock.systemUTC(), retention);
        this.store = new ControllableStore(memoryStore);
        this.sessions = new Sessions(new RoomAccessPolicy(), limits, Clock.systemUTC());
        this.rooms = new LocalRooms(store, fanOut, delivery, timer, gapWait, activity);
        this.membership = new MembershipService(sessions, rooms, store, presence, fanOut);
        this.connections = new ConnectionService(sessions, presence, membership, limits);
        this.users = new UserConnectionsService(NODE, sessions, signals, directory, delivery, timer,
                Duration.ofSeconds(2));
        this.events = new EventService(sessions, fanOut);
        this.chat = new ChatService(sessions, store, fanOut, activity);
        this.typing = new TypingService(sessions, fanOut);
        this.queries = new RoomQueryService(sessions, store, presence);
        this.traces = new TraceService(rooms);
        this.node = new NodeService(NODE, Clock.systemUTC(), sessions, rooms, activity,
                () -> ackLatency, directory, timer);
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
        return new Limits(d.maxTextCodePoints(), d.maxDataBytes(), d.maxDataDepth(), roomsPerConnection,
                connectionsPerUser, membersPerRoom, d.defaultHistoryLimit(), d.maxHistoryLimit());
    }

    /** A fresh idempotency key for a message. */
    RequestId nextMessageId() {
        return RequestId.of("msg-" + messageIds.incrementAndGet());
    }

    ConnectOutcome tryConnect(ConnectionId connection, Principal principal) {
        return await(connections.connect(new ConnectCommand(connection, principal)));
    }

    Client connect(String userId, String... grants) {
        User user = User.named(userId);
        Principal principal = new Principal(user, RoomGrants.of(grants));
        ConnectionId connection = ConnectionId.random();
        assertThat(tryConnect(connection, principal)).isEqualTo(new ConnectOutcome.Admitted());
        return new Client(connection, principal);
    }

    /** A client for a connection id the node may not know (never connected, or closed). */
    Client client(ConnectionId connection, Principal principal) {
        return new Client(connection, principal);
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("no answer within " + ANSWER_TIMEOUT, e);
        }
    }

    /** The seq of the message a chat outcome names, stored now or before (a duplicate). */
    static long seq(ChatOutcome outcome) {
        return message(outcome).seq();
    }

    static ChatMessage message(ChatOutcome outcome) {
        if (outcome instanceof ChatOutcome.Stored stored) {
            return stored.message();
        }
        assertThat(outcome).as("chat outcome").isInstanceOf(ChatOutcome.Duplicate.class);
        return ((ChatOutcome.Duplicate) outcome).message();
    }

    static JoinOutcome.Joined joined(JoinOutcome outcome) {
        assertThat(outcome).as("join outcome").isInstanceOf(JoinOutcome.Joined.class);
        return (JoinOutcome.Joined) outcome;
    }

    static Refusal refusal(Object outcome) {
        assertThat(outcome).as("outcome").isInstanceOf(Refused.class);
        return ((Refused) outcome).reason();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One connection of this node, driven as the WebSocket adapter drives the use cases for it. */
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

        /** Sends the outcome as the answer once the use case is done, then hands a join over. */
        private <T> CompletableFuture<T> answer(CompletableFuture<T> outcome) {
            return outcome.thenApply(result -> {
                delivery.answered(id, result);
                if (result instanceof JoinOutcome.Joined joined) {
                    joined.handOver().deliver();
                }
                return result;
            });
        }

        // --- requests ---------------------------------------------------------------------------

        CompletableFuture<JoinOutcome> joining(RoomName room) {
            return joining(room, Optional.empty());
        }

        CompletableFuture<JoinOutcome> joining(RoomName room, Optional<StreamPosition> since) {
            return answer(membership.join(new JoinRoomCommand(id, room, since)));
        }

        JoinOutcome joinOutcome(RoomName room) {
            return await(joining(room));
        }

        JoinOutcome.Joined join(RoomName room) {
            return joined(joinOutcome(room));
        }

        JoinOutcome.Joined join(RoomName room, StreamPosition since) {
            return joined(await(joining(room, Optional.of(since))));
        }

        Refusal joinRefused(RoomName room) {
            return refusal(joinOutcome(room));
        }

        LeaveOutcome leave(RoomName room) {
            return await(answer(membership.leave(new LeaveRoomCommand(id, room))));
        }

        CompletableFuture<ChatOutcome> sending(RoomName room, RequestId messageId, String text) {
            return answer(chat.send(new SendChatCommand(id, messageId, room, new MessageText(text), Optional.empty())));
        }

        ChatOutcome chatOutcome(RoomName room, RequestId messageId, String text) {
            return await(sending(room, messageId, text));
        }

        /** Sends a chat that is stored (or was, before: a duplicate). */
        ChatOutcome send(RoomName room, String text) {
            return send(room, nextMessageId(), text);
        }

        ChatOutcome send(RoomName room, RequestId messageId, String text) {
            ChatOutcome outcome = chatOutcome(room, messageId, text);
            assertThat(outcome).as("chat outcome").isInstanceOfAny(ChatOutcome.Stored.class,
                    ChatOutcome.Duplicate.class);
            return outcome;
        }

        Refusal sendRefused(RoomName room, String text) {
            return refusal(chatOutcome(room, nextMessageId(), text));
        }

        TypingOutcome typing(RoomName room, boolean active) {
            return await(answer(typing.typing(new SendTypingCommand(id, room, active))));
        }

        HistoryOutcome historyOutcome(HistoryQuery query) {
            return await(answer(queries.history(new QueryHistoryCommand(Requester.connection(id), query))));
        }

        HistoryPage history(RoomName room, OptionalLong after, OptionalLong before, int limit) {
            HistoryOutcome outcome = historyOutcome(new HistoryQuery(room, after, before, limit));
            assertThat(outcome).as("history outcome").isInstanceOf(HistoryOutcome.Page.class);
            return ((HistoryOutcome.Page) outcome).page();
        }

        PresenceOutcome presenceOutcome(RoomName room) {
            return await(answer(queries.presence(new QueryPresenceCommand(Requester.connection(id), room))));
        }

        List<User> presence(RoomName room) {
            PresenceOutcome outcome = presenceOutcome(room);
            assertThat(outcome).as("presence outcome").isInstanceOf(PresenceOutcome.Members.class);
            return ((PresenceOutcome.Members) outcome).users();
        }

        void disconnect() {
            await(connections.disconnect(id));
        }

        // --- what it received -------------------------------------------------------------------

        /** Everything sent to this connection, in order: answers (outcomes) and room events. */
        List<Object> received() {
            return delivery.to(id);
        }

        List<RoomEvent> events() {
            return delivery.to(id, RoomEvent.class);
        }

        List<ChatMessage> chats() {
            return delivery.chatsTo(id);
        }

        List<Long> chatSeqs() {
            return delivery.chatSeqsTo(id);
        }

        List<RoomEvent.PresenceChanged> presenceEvents() {
            return delivery.to(id, RoomEvent.PresenceChanged.class);
        }

        List<RoomEvent.Typing> typingEvents() {
            return delivery.to(id, RoomEvent.Typing.class);
        }
    }
}
