package dev.parley.application.service;

import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.ReorderBuffer;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rooms that have members on this node, and the in-order delivery of their events to
 * those members (docs/protocol.md guarantee 4).
 *
 * <p>A room subscribes to the fan-out when its first local member attaches and reads its
 * stream state once; from then on its {@link ReorderBuffer} releases chat events in seq order,
 * fetching from history any gap the bus left open for longer than {@code gapWait}. A joining
 * member hears nothing live until its join completes: what is released meanwhile waits in its
 * pending list, so that the ack, the replay and the live stream follow each other with nothing
 * missing or repeated.
 */
public final class LocalRooms {
    private static final System.Logger LOG = System.getLogger(LocalRooms.class.getName());
    private static final long CATCH_UP_RETRY_MILLIS = 1_000;

    private final MessageStore store;
    private final FanOut fanOut;
    private final Delivery delivery;
    private final ScheduledExecutorService timer;
    private final long gapWaitMillis;
    private final ConcurrentHashMap<RoomName, Room> rooms = new ConcurrentHashMap<>();
    /**
     * Attachment tokens, unique on this node: a room that closed and opened again must not
     * take an attachment made to its former self for one of its own.
     */
    private final AtomicLong tokens = new AtomicLong();

    public LocalRooms(MessageStore store, FanOut fanOut, Delivery delivery, ScheduledExecutorService timer,
                      Duration gapWait) {
        this.store = Objects.requireNonNull(store, "store");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.gapWaitMillis = gapWait.toMillis();
    }

    /** A member on its way in: {@link #complete} lets it hear the room, {@link #detach} gives up. */
    public record Attachment(RoomName room, ConnectionId connection, long token,
                             CompletableFuture<RoomStreamState> roomReady) {
    }

    /**
     * Attaches a connection to a room as a joining member (again, if it was a member: a rejoin
     * starts over). Subscribes the room to the fan-out if it is new on this node.
     */
    public Attachment attach(RoomName name, ConnectionId connection) {
        Attachment[] attachment = new Attachment[1];
        rooms.compute(name, (key, room) -> {
            Room target = room == null ? new Room(name) : room;
            attachment[0] = target.attach(connection);
            return target;
        });
        return attachment[0];
    }

    /**
     * Lets a joining member hear the room: sends {@code ack}, then the replayed messages, then
     * whatever was released meanwhile with a seq above {@code ackSeq}. False when the member
     * left or rejoined in the meantime.
     */
    public boolean complete(Attachment attachment, ServerMessage ack, long ackSeq, List<ChatMessage> replay) {
        Room room = rooms.get(attachment.room());
        return room != null && room.complete(attachment, ack, ackSeq, replay);
    }

    /** True while the member this attachment made is still joining: not completed, left or rejoined since. */
    public boolean isJoining(Attachment attachment) {
        Room room = rooms.get(attachment.room());
        return room != null && room.isJoining(attachment);
    }

    /** Removes a member; the last one out unsubscribes the room from the fan-out. */
    public void detach(RoomName name, ConnectionId connection) {
        rooms.computeIfPresent(name, (key, room) -> room.detach(connection) ? null : room);
    }

    /** Detaches only if the member is still the one this attachment made. */
    public void abandon(Attachment attachment) {
        rooms.computeIfPresent(attachment.room(),
                (key, room) -> room.abandon(attachment.connection(), attachment.token()) ? null : room);
    }

    public int roomCount() {
        return rooms.size();
    }

    private static final class Member {
        private final long token;
        private long cursor;
        /** Non-null while joining: what the member will hear once its join completes. */
        private List<ServerMessage> pending = new ArrayList<>();

        private Member(long token) {
            this.token = token;
        }
    }

    private final class Room implements FanOut.RoomEventListener {
        private final RoomName name;
        private final Map<ConnectionId, Member> members = new HashMap<>();
        private final FanOut.Subscription subscription;
        private final CompletableFuture<RoomStreamState> ready;
        private ReorderBuffer<ChatMessage> buffer;
        private List<ChatMessage> early = new ArrayList<>();
        private ScheduledFuture<?> gapCheck;
        private boolean catchingUp;
        /** A catch-up was asked for while another was under way: it runs once that one is done. */
        private boolean catchUpPending;
        private boolean closed;

        Room(RoomName name) {
            this.name = name;
            // Subscribe before reading the stream state, so that nothing stored after the
            // read can pass by unheard.
            this.subscription = fanOut.subscribe(name, this);
            this.ready = store.streamState(name).thenApply(state -> {
                initialize(state.latestSeq());
                return state;
            });
        }

        synchronized Attachment attach(ConnectionId connection) {
            long token = tokens.incrementAndGet();
            members.put(connection, new Member(token));
            return new Attachment(name, connection, token, ready);
        }

        synchronized boolean complete(Attachment attachment, ServerMessage ack, long ackSeq,
                                      List<ChatMessage> replay) {
            Member member = members.get(attachment.connection());
            if (member == null || member.token != attachment.token() || member.pending == null) {
                return false;
            }
            ConnectionId id = attachment.connection();
            delivery.send(id, ack);
            long cursor = ackSeq;
            for (ChatMessage message : replay) {
                delivery.send(id, new ServerMessage.Chat(message));
            }
            for (ServerMessage message : member.pending) {
                if (message instanceof ServerMessage.Chat chat) {
                    if (chat.message().seq() <= cursor) {
                        continue;
                    }
                    cursor = chat.message().seq();
                }
                delivery.send(id, message);
            }
            member.cursor = cursor;
            member.pending = null;
            return true;
        }

        synchronized boolean isJoining(Attachment attachment) {
            Member member = members.get(attachment.connection());
            return member != null && member.token == attachment.token() && member.pending != null;
        }

        /** True when the room is now empty and closed. */
        synchronized boolean detach(ConnectionId connection) {
            members.remove(connection);
            return closeIfEmpty();
        }

        synchronized boolean abandon(ConnectionId connection, long token) {
            Member member = members.get(connection);
            if (member != null && member.token == token) {
                members.remove(connection);
            }
            return closeIfEmpty();
        }

        private boolean closeIfEmpty() {
            if (!members.isEmpty()) {
                return false;
            }
            closed = true;
            if (gapCheck != null) {
                gapCheck.cancel(false);
            }
            subscription.close();
            return true;
        }

        private synchronized void initialize(long latestSeq) {
            buffer = new ReorderBuffer<>(latestSeq, ChatMessage::seq);
            List<ChatMessage> arrived = early;
            early = null;
            for (ChatMessage message : arrived) {
                accept(message);
            }
        }

        @Override
        public synchronized void onEvent(RoomEvent event) {
            if (closed) {
                return;
            }
            if (event instanceof RoomEvent.Posted posted) {
                if (buffer == null) {
                    early.add(posted.message());
                } else {
                    accept(posted.message());
                }
            } else if (event instanceof RoomEvent.Typing typing) {
                toAllBut(typing.origin(), new ServerMessage.Typing(typing.room(), typing.user(), typing.active()));
            } else if (event instanceof RoomEvent.PresenceChanged change) {
                toAllBut(change.origin(),
                        new ServerMessage.Presence(change.room(), change.joined(), change.user(), change.count()));
            }
        }

        @Override
        public void onPossibleLoss(RoomName room) {
            catchUp();
        }

        private void accept(ChatMessage message) {
            for (ChatMessage released : buffer.offer(message)) {
                release(released);
            }
            if (buffer.gap().isPresent() && gapCheck == null) {
                gapCheck = timer.schedule(this::fillGap, gapWaitMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void release(ChatMessage message) {
            ServerMessage.Chat chat = new ServerMessage.Chat(message);
            List<ConnectionId> live = new ArrayList<>(members.size());
            for (Map.Entry<ConnectionId, Member> entry : members.entrySet()) {
                Member member = entry.getValue();
                if (member.pending != null) {
                    member.pending.add(chat);
                } else if (message.seq() > member.cursor) {
                    member.cursor = message.seq();
                    live.add(entry.getKey());
                }
            }
            if (!live.isEmpty()) {
                delivery.broadcast(live, chat);
            }
        }

        private void toAllBut(ConnectionId origin, ServerMessage message) {
            List<ConnectionId> live = new ArrayList<>(members.size());
            for (Map.Entry<ConnectionId, Member> entry : members.entrySet()) {
                if (entry.getKey().equals(origin)) {
                    continue;
                }
                if (entry.getValue().pending != null) {
                    entry.getValue().pending.add(message);
                } else {
                    live.add(entry.getKey());
                }
            }
            if (!live.isEmpty()) {
                delivery.broadcast(live, message);
            }
        }

        /** The bus left a gap open too long: read it from history. */
        private void fillGap() {
            long from;
            long to;
            synchronized (this) {
                gapCheck = null;
                if (closed || buffer.gap().isEmpty()) {
                    return;
                }
                from = buffer.gap().get().from();
                to = buffer.gap().get().to();
            }
            store.range(name, from - 1, to).whenComplete((messages, failure) -> {
                synchronized (this) {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "cannot fill gap " + from + ".." + to + " of room " + name
                                + " from history; retrying", failure);
                    } else if (!closed) {
                        for (ChatMessage message : messages) {
                            accept(message);
                        }
                        if (messages.size() < to - from + 1 && buffer.lastReleased() < from) {
                            // The store no longer retains the start of the gap: waiting for it
                            // would silence the room for good.
                            skipUnretained(messages.isEmpty() ? to : messages.get(0).seq() - 1);
                        }
                    }
                    if (!closed && buffer.gap().isPresent() && gapCheck == null) {
                        gapCheck = timer.schedule(this::fillGap, gapWaitMillis, TimeUnit.MILLISECONDS);
                    }
                }
            });
        }

        /**
         * The bus lost messages up to {@code through} that the store no longer retains either: no
         * member can get them any more. Go on after them, reading from history whatever the
         * buffer held beyond them.
         */
        private void skipUnretained(long through) {
            LOG.log(Level.WARNING, "messages " + (buffer.lastReleased() + 1) + ".." + through + " of room " + name
                    + " were lost by the bus and are no longer retained; members skip them");
            buffer = new ReorderBuffer<>(through, ChatMessage::seq);
            catchUp();
        }

        /**
         * The bus may have lost anything since the last release: read up to the latest from history.
         * Asked for during another catch-up, it runs again once that one is done (the loss it
         * reports may be later than what the running read sees); a failed read is tried again.
         */
        private void catchUp() {
            long after;
            synchronized (this) {
                if (closed || buffer == null) {
                    return;
                }
                if (catchingUp) {
                    catchUpPending = true;
                    return;
                }
                catchingUp = true;
                after = buffer.lastReleased();
            }
            store.streamState(name)
                    .thenCompose(state -> store.range(name, after, state.latestSeq()))
                    .whenComplete((messages, failure) -> {
                        boolean again;
                        synchronized (this) {
                            catchingUp = false;
                            again = catchUpPending && !closed;
                            catchUpPending = false;
                            if (failure != null) {
                                LOG.log(Level.WARNING, "cannot catch up room " + name + " from history; retrying",
                                        failure);
                                if (!closed && !again) {
                                    timer.schedule(this::catchUp, Math.max(gapWaitMillis, CATCH_UP_RETRY_MILLIS),
                                            TimeUnit.MILLISECONDS);
                                }
                            } else if (!closed) {
                                for (ChatMessage message : messages) {
                                    accept(message);
                                }
                            }
                        }
                        if (again) {
                            catchUp();
                        }
                    });
        }
    }
}
