package dev.parley.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The delivery of one room's events to its members on one node (docs/protocol.md guarantee 4):
 * chats leave in seq order, each exactly once per member, from the member's own starting point.
 *
 * <p>A joining member hears nothing live until its join is answered: what the room releases
 * meanwhile waits in the member's pending list. The hand-over then gives it the replay and the
 * pending events, skipping chats its answer or its replay already covered, and from then on the
 * member is live. Chats are released through a {@link ReorderBuffer}, which starts once the
 * room's latest seq is known; chats that arrive before wait for it.
 *
 * <p>Pure: it takes facts (an event arrived, a member attached, a join was answered) and returns
 * {@link Dispatch} instructions; fetching gaps, timers and sending are its owner's. Not
 * thread-safe: its owner serialises access.
 */
public final class RoomStream {
    private final RoomName room;
    private final Map<ConnectionId, Member> members = new LinkedHashMap<>();
    private ReorderBuffer<ChatMessage> buffer;
    private List<ChatMessage> early = new ArrayList<>();
    private int watchers;

    /**
     * Events for some of the room's connections, in the order they must be sent. {@code released}
     * is true when the room releases the event now, as the room's watchers see it (false for what
     * one member gets at its hand-over); a released event may have no recipient but the watchers.
     */
    public record Dispatch(List<ConnectionId> recipients, RoomEvent event, boolean released) {
        public Dispatch {
            // A view, not a copy: a room of thousands would copy its member list per event.
            recipients = Collections.unmodifiableList(recipients);
            Objects.requireNonNull(event, "event");
        }
    }

    private static final class Member {
        private final long ticket;
        private long cursor;
        /** Non-null while joining: what the member will hear once its join is handed over. */
        private List<RoomEvent> pending = new ArrayList<>();

        private Member(long ticket) {
            this.ticket = ticket;
        }
    }

    public RoomStream(RoomName room) {
        this.room = Objects.requireNonNull(room, "room");
    }

    public RoomName room() {
        return room;
    }

    /** The room's latest seq is known: chats after it are released from now on, those that came early first. */
    public List<Dispatch> start(long latestSeq) {
        if (buffer != null) {
            throw new IllegalStateException("room " + room + " started twice");
        }
        buffer = new ReorderBuffer<>(latestSeq, ChatMessage::seq);
        List<ChatMessage> arrived = early;
        early = null;
        List<Dispatch> out = new ArrayList<>();
        for (ChatMessage message : arrived) {
            out.addAll(post(message));
        }
        return out;
    }

    public boolean isStarted() {
        return buffer != null;
    }

    /** A member on its way in (again, if it was one: a rejoin starts over). */
    public void attach(JoinTicket ticket) {
        requireThisRoom(ticket);
        members.put(ticket.connection(), new Member(ticket.number()));
    }

    /** True while this ticket's member is attached and not yet handed over. */
    public boolean isJoining(JoinTicket ticket) {
        Member member = current(ticket);
        return member != null && member.pending != null;
    }

    /**
     * The join is answered with the room at {@code answeredSeq}: the member gets {@code replay},
     * then whatever was released meanwhile above what it has now, and is live from then on. Empty
     * when the ticket is stale (the member left or rejoined meanwhile).
     */
    public Optional<List<Dispatch>> handOver(JoinTicket ticket, long answeredSeq, List<ChatMessage> replay) {
        Member member = current(ticket);
        if (member == null || member.pending == null) {
            return Optional.empty();
        }
        List<ConnectionId> to = List.of(ticket.connection());
        List<Dispatch> out = new ArrayList<>(replay.size() + member.pending.size());
        long cursor = answeredSeq;
        for (ChatMessage message : replay) {
            out.add(new Dispatch(to, new RoomEvent.Posted(message), false));
            cursor = Math.max(cursor, message.seq());
        }
        for (RoomEvent event : member.pending) {
            if (event instanceof RoomEvent.Posted posted) {
                if (posted.message().seq() <= cursor) {
                    continue;
                }
                cursor = posted.message().seq();
            }
            out.add(new Dispatch(to, event, false));
        }
        member.cursor = cursor;
        member.pending = null;
        return Optional.of(out);
    }

    /** Removes a member; true when the room has neither members nor watchers left. */
    public boolean detach(ConnectionId connection) {
        members.remove(connection);
        return isEmpty();
    }

    /** Removes the member only if it is still the one this ticket attached; true when the room is now empty. */
    public boolean abandon(JoinTicket ticket) {
        if (current(ticket) != null) {
            members.remove(ticket.connection());
        }
        return isEmpty();
    }

    /**
     * Someone who is not a member (an operator's trace, say) watches what the room releases from now
     * on: every chat once and in seq order, every typing and presence event, no replay.
     */
    public void watch() {
        watchers++;
    }

    /** A watcher stops; true when the room is now empty. */
    public boolean unwatch() {
        if (watchers == 0) {
            throw new IllegalStateException("room " + room + " has no watcher to remove");
        }
        watchers--;
        return isEmpty();
    }

    public boolean hasMembers() {
        return !members.isEmpty();
    }

    /** Neither members nor watchers. */
    public boolean isEmpty() {
        return members.isEmpty() && watchers == 0;
    }

    /** An event of the room arrived (from the bus or from history); what to send now. */
    public List<Dispatch> accept(RoomEvent event) {
        if (!event.room().equals(room)) {
            throw new IllegalArgumentException("an event of " + event.room() + " offered to " + room);
        }
        if (event instanceof RoomEvent.Posted posted) {
            if (buffer == null) {
                early.add(posted.message());
                return List.of();
            }
            return post(posted.message());
        }
        ConnectionId origin;
        if (event instanceof RoomEvent.Typing typing) {
            origin = typing.origin();
        } else if (event instanceof RoomEvent.PresenceChanged change) {
            origin = change.origin();
        } else {
            origin = ((RoomEvent.Broadcast) event).except().orElse(null);
        }
        return toAllBut(origin, event);
    }

    /** Chats missing before the oldest one held, if any is held. */
    public Optional<ReorderBuffer.Gap> gap() {
        return buffer == null ? Optional.empty() : buffer.gap();
    }

    /** The last seq released to the members (0 before the room started). */
    public long lastReleased() {
        return buffer == null ? 0 : buffer.lastReleased();
    }

    /**
     * Chats up to {@code through} can never come (lost by the bus and no longer retained): go on
     * after them. What was held beyond them is dropped; its owner reads it again from history.
     */
    public void skipTo(long through) {
        if (buffer == null || through <= buffer.lastReleased()) {
            return;
        }
        buffer = new ReorderBuffer<>(through, ChatMessage::seq);
    }

    private List<Dispatch> post(ChatMessage message) {
        List<ChatMessage> released = buffer.offer(message);
        if (released.isEmpty()) {
            return List.of();
        }
        List<Dispatch> out = new ArrayList<>(released.size());
        for (ChatMessage next : released) {
            RoomEvent.Posted posted = new RoomEvent.Posted(next);
            List<ConnectionId> live = new ArrayList<>(members.size());
            for (Map.Entry<ConnectionId, Member> entry : members.entrySet()) {
                Member member = entry.getValue();
                if (member.pending != null) {
                    member.pending.add(posted);
                } else if (next.seq() > member.cursor) {
                    member.cursor = next.seq();
                    live.add(entry.getKey());
                }
            }
            if (!live.isEmpty() || watchers > 0) {
                out.add(new Dispatch(live, posted, true));
            }
        }
        return out;
    }

    private List<Dispatch> toAllBut(ConnectionId origin, RoomEvent event) {
        List<ConnectionId> live = new ArrayList<>(members.size());
        for (Map.Entry<ConnectionId, Member> entry : members.entrySet()) {
            if (entry.getKey().equals(origin)) {  // origin may be null: nobody is left out
                continue;
            }
            if (entry.getValue().pending != null) {
                entry.getValue().pending.add(event);
            } else {
                live.add(entry.getKey());
            }
        }
        return live.isEmpty() && watchers == 0 ? List.of() : List.of(new Dispatch(live, event, true));
    }

    private Member current(JoinTicket ticket) {
        requireThisRoom(ticket);
        Member member = members.get(ticket.connection());
        return member != null && member.ticket == ticket.number() ? member : null;
    }

    private void requireThisRoom(JoinTicket ticket) {
        if (!ticket.room().equals(room)) {
            throw new IllegalArgumentException("a ticket of " + ticket.room() + " used in " + room);
        }
    }
}
