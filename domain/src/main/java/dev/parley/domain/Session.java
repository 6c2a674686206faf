package dev.parley.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one connection may do: who it is, which rooms it has joined (or is joining: a room
 * counts from the moment its join is admitted) and as whom, and whether it is closed. Each
 * admitted join gets a ticket; a later join or a leave of the same room makes it stale, so a
 * slow join can tell that it was overtaken. Pure and not thread-safe: its owner serialises access.
 *
 * <p>A connection is in a room as its principal's user, unless the join named another member
 * identity (a Pusher presence channel names the member in each subscription). Its principal may
 * change once, when an anonymous connection signs in.
 */
public final class Session {
    private final ConnectionId id;
    private Principal principal;
    private final RoomAccessPolicy policy;
    private final Limits limits;
    /** Each room with its latest admitted join. */
    private final Map<RoomName, Membership> rooms = new LinkedHashMap<>();

    /** The connection's standing in one room: the number of its latest join, and as whom it is there. */
    private record Membership(long join, User member) {
    }
    private long joins;
    private boolean closed;

    public Session(ConnectionId id, Principal principal, RoomAccessPolicy policy, Limits limits) {
        this.id = Objects.requireNonNull(id, "id");
        this.principal = Objects.requireNonNull(principal, "principal");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ConnectionId id() {
        return id;
    }

    public Principal principal() {
        return principal;
    }

    /** The connection now acts as {@code signedIn} (its rooms keep the identity they were joined with). */
    public void signIn(Principal signedIn) {
        this.principal = Objects.requireNonNull(signedIn, "signedIn");
    }

    /** Whom the connection is in the room as, if it is in it. */
    public Optional<User> memberIn(RoomName room) {
        Membership membership = rooms.get(room);
        return membership == null ? Optional.empty() : Optional.of(membership.member());
    }

    /** May it read the room (history, presence)? The right to join it, without joining. */
    public AccessDecision mayRead(RoomName room) {
        return policy.mayAccess(principal, room);
    }

    /** May it post or type in the room? Only once it has joined. */
    public AccessDecision mayWrite(RoomName room) {
        return rooms.containsKey(room)
                ? AccessDecision.PERMITTED
                : AccessDecision.refused(Refusal.NOT_MEMBER, "join " + room + " first");
    }

    /**
     * Asks to join a room that is as full as {@code occupancy} says, as the principal's user. A
     * rejoin takes no new room slot and starts the join over; a user already present takes no new
     * member slot.
     */
    public JoinDecision join(RoomName room, Occupancy occupancy) {
        return join(room, occupancy, principal.user());
    }

    /** {@link #join(RoomName, Occupancy)}, in the room as {@code member} (its occupancy counted for that member). */
    public JoinDecision join(RoomName room, Occupancy occupancy, User member) {
        if (closed) {
            return new JoinDecision.Closed();
        }
        AccessDecision access = policy.mayAccess(principal, room);
        if (access instanceof AccessDecision.Refused refused) {
            return new JoinDecision.Refused(refused);
        }
        if (!rooms.containsKey(room) && rooms.size() >= limits.maxRoomsPerConnection()) {
            return refused(Refusal.TOO_MANY_ROOMS,
                    "a connection may join at most " + limits.maxRoomsPerConnection() + " rooms");
        }
        if (!occupancy.includesJoiner() && occupancy.users() >= limits.maxMembersPerRoom()) {
            return refused(Refusal.ROOM_FULL, room + " is at its limit of " + limits.maxMembersPerRoom() + " members");
        }
        long number = ++joins;
        rooms.put(room, new Membership(number, member));
        return new JoinDecision.Admitted(new JoinTicket(id, room, number));
    }

    private static JoinDecision refused(Refusal reason, String message) {
        return new JoinDecision.Refused(new AccessDecision.Refused(reason, message));
    }

    /** True while the join is the room's latest, not left since, and the session is open. */
    public boolean isCurrent(JoinTicket ticket) {
        Membership membership = rooms.get(ticket.room());
        return !closed && ticket.connection().equals(id) && membership != null && membership.join() == ticket.number();
    }

    /** Gives up a join that failed, unless a later join of the room has replaced it. */
    public void abandon(JoinTicket ticket) {
        Membership membership = rooms.get(ticket.room());
        if (membership != null && membership.join() == ticket.number()) {
            rooms.remove(ticket.room());
        }
    }

    /** Leaves the room: whom it was in it as, or empty when it was not joined. */
    public Optional<User> leave(RoomName room) {
        Membership left = rooms.remove(room);
        return left == null ? Optional.empty() : Optional.of(left.member());
    }

    public boolean inRoom(RoomName room) {
        return rooms.containsKey(room);
    }

    public Set<RoomName> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    /** Closes the session: it takes no new room from now on. Returns the rooms it was in, each with whom as. */
    public Map<RoomName, User> close() {
        closed = true;
        Map<RoomName, User> left = new LinkedHashMap<>();
        rooms.forEach((room, membership) -> left.put(room, membership.member()));
        rooms.clear();
        return left;
    }

    public boolean isClosed() {
        return closed;
    }
}
