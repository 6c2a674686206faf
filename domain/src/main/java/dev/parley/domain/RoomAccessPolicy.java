package dev.parley.domain;

import java.util.Objects;

/**
 * Who may join, read and write which room: private rooms need a matching grant, personal
 * rooms belong to one user, and rooms and connections have member limits.
 */
public final class RoomAccessPolicy {
    private final Limits limits;

    public RoomAccessPolicy(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** May this user see the room at all (join it, read its history, see its presence)? */
    public AccessDecision mayAccess(Principal principal, RoomName room) {
        return switch (room.kind()) {
            case PUBLIC -> AccessDecision.PERMITTED;
            case PRIVATE -> principal.grants().permits(room)
                    ? AccessDecision.PERMITTED
                    : AccessDecision.refused(ErrorCode.FORBIDDEN, "no grant for private room " + room);
            case PERSONAL -> room.personalOwner().filter(principal.id()::equals).isPresent()
                    ? AccessDecision.PERMITTED
                    : AccessDecision.refused(ErrorCode.FORBIDDEN, room + " belongs to another user");
        };
    }

    /**
     * May this connection join the room now?
     *
     * @param roomsOfConnection rooms the connection has joined already
     * @param alreadyJoined     a rejoin takes no new room slot
     * @param usersInRoom       distinct users present in the room now
     * @param alreadyPresent    the user is present through another connection: no new member slot
     */
    public AccessDecision mayJoin(Principal principal, RoomName room, int roomsOfConnection, boolean alreadyJoined,
                                  int usersInRoom, boolean alreadyPresent) {
        AccessDecision access = mayAccess(principal, room);
        if (!access.isPermitted()) {
            return access;
        }
        if (!alreadyJoined && roomsOfConnection >= limits.maxRoomsPerConnection()) {
            return AccessDecision.refused(ErrorCode.TOO_MANY_ROOMS,
                    "a connection may join at most " + limits.maxRoomsPerConnection() + " rooms");
        }
        if (!alreadyPresent && usersInRoom >= limits.maxMembersPerRoom()) {
            return AccessDecision.refused(ErrorCode.ROOM_FULL,
                    room + " is at its limit of " + limits.maxMembersPerRoom() + " members");
        }
        return AccessDecision.PERMITTED;
    }

    /** May this connection post or type in the room? Only once it has joined. */
    public AccessDecision mayWrite(RoomName room, boolean joined) {
        return joined
                ? AccessDecision.PERMITTED
                : AccessDecision.refused(ErrorCode.NOT_MEMBER, "join " + room + " first");
    }
}
