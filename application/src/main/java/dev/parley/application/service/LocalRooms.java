package dev.parley.application.service;

import dev.parley.application.port.in.TraceRoomCommand;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.JoinTicket;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStream;
import dev.parley.domain.RoomStreamState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The rooms that have members on this node, each a {@link RoomStream} (the ordering and hand-over
 * rules) with what the domain leaves to its owner: the fan-out subscription, the lock, the
 * timers, and the reads from history.
 *
 * <p>A room subscribes to the fan-out when its first local member attaches and reads its stream
 * state once; a gap the bus leaves open for longer than {@code gapWait} is read from history,
 * and so is everything after a loss the bus reports.
 */
public final class LocalRooms {
    private static final System.Logger LOG = System.getLogger(LocalRooms.class.getName());
    private static final long CATCH_UP_RETRY_MILLIS = 1_000;

    private final MessageStore store;
    private final FanOut fanOut;
    private final Delivery delivery;
    private final ScheduledExecutorService timer;
    private final long gapWaitMillis;
    private final NodeActivity activity;
    private final ConcurrentHashMap<RoomName, Room> rooms = new ConcurrentHashMap<>();

    public LocalRooms(MessageStore store, FanOut fanOut, Delivery delivery, ScheduledExecutorService timer,
                      Duration gapWait, NodeActivity activity) {
        this.store = Objects.requireNonNull(store, "store");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.gapWaitMillis = gapWait.toMillis();
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    /**
     * Attaches a joining member (again, if it was one: a rejoin starts over), subscribing the room
     * if it is new on this node. Completes with the room's first stream state once it is read.
     */
    CompletableFuture<RoomStreamState> attach(JoinTicket ticket) {
        Room[] attached = new Room[1];
        rooms.compute(ticket.room(), (name, room) -> {
            Room target = room == null ? new Room(name) : room;
            target.attach(ticket);
            attached[0] = target;
            return target;
        });
        return attached[0].ready;
    }

    /** Hands the room over to a joined member: its replay, then what came meanwhile, then live events. */
    void handOver(JoinTicket ticket, long answeredSeq, List<ChatMessage> replay) {
        Room room = rooms.get(ticket.room());
        if (room != null) {
            room.handOver(ticket, answeredSeq, replay);
        }
    }

    /** Removes a member; the last one out unsubscribes the room from the fan-out. */
    void detach(RoomName name, ConnectionId connection) {
        rooms.computeIfPresent(name, (key, room) -> room.detach(connection) ? null : room);
    }

    /** Removes the member only if it is still the one this ticket attached. */
    void abandon(JoinTicket ticket) {
        rooms.computeIfPresent(ticket.room(), (key, room) -> room.abandon(ticket) ? null : room);
    }

    /**
     * Watches the room (subscribing it if it is new on this node) until the returned stop runs;
     * completes once the room knows where its stream stands, or fails with the read of it.
     */
    CompletableFuture<Runnable> watch(RoomName name, TraceRoomCommand.Watcher watcher) {
        Room[] watched = new Room[1];
        rooms.compute(name, (key, room) -> {
            Room target = room == null ? new Room(key) : room;
            target.watch(watcher);
            watched[0] = target;
            return target;
        });
        Runnable stop = () -> rooms.computeIfPresent(name, (key, room) ->
                room == watched[0] && room.unwatch(watcher) ? null : room);
        return watched[0].ready.handle((state, failure) -> {
            if (failure != null) {
                stop.run();
                throw new CompletionException(failure);
            }
            return stop;
        });
    }

    /** The rooms with a member on this node (rooms only watched are not counted). */
    public int roomCount() {
        int count = 0;
        for (Room room : rooms.values()) {
            if (room.hasMembers()) {
                count++;
            }
        }
        return count;
    }

    private final class Room implements FanOut.RoomEventListener {
        private final RoomName name;
        private final RoomStream stream;
        private final FanOut.Subscription subscription;
        private final CompletableFuture<RoomStreamState> ready;
        private final List<TraceRoomCommand.Watcher> watchers = new ArrayList<>();
        private ScheduledFuture<?> gapCheck;
        private boolean catchingUp;
        /** A catch-up was asked for while another was under way: it runs once that one is done. */
        private boolean catchUpPending;
        private boolean closed;

        Room(RoomName name) {
            this.name = name;
            this.stream = new RoomStream(name);
            // Subscribe before reading the stream state, so that nothing stored after the
            // read can pass by unheard.
            this.subscription = fanOut.subscribe(name, this);
            this.ready = store.streamState(name).thenApply(state -> {
                start(state.latestSeq());
                return state;
            });
        }

        private synchronized void start(long latestSeq) {
            send(stream.start(latestSeq));
            scheduleGapCheck();
        }

        synchronized void attach(JoinTicket ticket) {
            stream.attach(ticket);
        }

        synchronized void handOver(JoinTicket ticket, long answeredSeq, List<ChatMessage> replay) {
            stream.handOver(ticket, answeredSeq, replay).ifPresent(this::send);
        }

        /** True when the room is now empty and closed. */
        synchronized boolean detach(ConnectionId connection) {
            return stream.detach(connection) && close();
        }

        synchronized boolean abandon(JoinTicket ticket) {
            return stream.abandon(ticket) && close();
        }

        synchronized void watch(TraceRoomCommand.Watcher watcher) {
            watchers.add(watcher);
            stream.watch();
        }

        /** True when the room is now empty and closed. */
        synchronized boolean unwatch(TraceRoomCommand.Watcher watcher) {
            return watchers.remove(watcher) && stream.unwatch() && close();
        }

        synchronized boolean hasMembers() {
            return stream.hasMembers();
        }

        private boolean close() {
            closed = true;
            if (gapCheck != null) {
                gapCheck.cancel(false);
            }
            subscription.close();
            return true;
        }

        @Override
        public synchronized void onEvent(RoomEvent event) {
            if (closed) {
                return;
            }
            send(stream.accept(event));
            scheduleGapCheck();
        }

        @Override
        public void onPossibleLoss(RoomName room) {
            catchUp();
        }

        private void send(List<RoomStream.Dispatch> dispatches) {
            for (RoomStream.Dispatch dispatch : dispatches) {
                if (!dispatch.recipients().isEmpty()) {
                    delivery.deliver(dispatch.recipients(), dispatch.event());
                    if (dispatch.event() instanceof RoomEvent.Posted) {
                        activity.delivered(dispatch.recipients().size());
                    }
                }
                if (dispatch.released()) {
                    for (TraceRoomCommand.Watcher watcher : watchers) {
                        watcher.onEvent(dispatch.event());
                    }
                }
            }
        }

        private void scheduleGapCheck() {
            if (!closed && gapCheck == null && stream.gap().isPresent()) {
                gapCheck = timer.schedule(this::fillGap, gapWaitMillis, TimeUnit.MILLISECONDS);
            }
        }

        /** The bus left a gap open too long: read it from history. */
        private void fillGap() {
            long from;
            long to;
            synchronized (this) {
                gapCheck = null;
                if (closed || stream.gap().isEmpty()) {
                    return;
                }
                from = stream.gap().get().from();
                to = stream.gap().get().to();
            }
            store.range(name, from - 1, to).whenComplete((messages, failure) -> {
                synchronized (this) {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "cannot fill gap " + from + ".." + to + " of room " + name
                                + " from history; retrying", failure);
                    } else if (!closed) {
                        accept(messages);
                        if (messages.size() < to - from + 1 && stream.lastReleased() < from) {
                            // The store no longer retains the start of the gap: waiting for it
                            // would silence the room for good.
                            skipUnretained(messages.isEmpty() ? to : messages.get(0).seq() - 1);
                        }
                    }
                    scheduleGapCheck();
                }
            });
        }

        private void accept(List<ChatMessage> messages) {
            for (ChatMessage message : messages) {
                send(stream.accept(new RoomEvent.Posted(message)));
            }
        }

        /**
         * The bus lost messages up to {@code through} that the store no longer retains either: no
         * member can get them any more. Go on after them, reading from history whatever the
         * stream held beyond them.
         */
        private void skipUnretained(long through) {
            LOG.log(Level.WARNING, "messages " + (stream.lastReleased() + 1) + ".." + through + " of room " + name
                    + " were lost by the bus and are no longer retained; members skip them");
            stream.skipTo(through);
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
                if (closed || !stream.isStarted()) {
                    return;
                }
                if (catchingUp) {
                    catchUpPending = true;
                    return;
                }
                catchingUp = true;
                after = stream.lastReleased();
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
                                accept(messages);
                                scheduleGapCheck();
                            }
                        }
                        if (again) {
                            catchUp();
                        }
                    });
        }
    }
}
