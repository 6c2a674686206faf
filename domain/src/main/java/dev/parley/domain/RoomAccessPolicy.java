package dev.parley.domain;

/**
 * Who may see which room at all: private rooms need a matching grant, personal rooms belong to
 * one user. What a connection may do beyond that (limits, membership) is its {@link Session}'s.
 */
public final class RoomAccessPolicy {

    /** May this user see the room (join it, read its history, see its presence)? */
    public AccessDecision mayAccess(Principal principal, RoomName room) {
        return switch (room.kind()) {
            case PUBLIC -> AccessDecision.PERMITTED;
            case PRIVATE -> principal.grants().permits(room)
                    ? AccessDecision.PERMITTED
                    : AccessDecision.refused(Refusal.FORBIDDEN, "no grant for private room " + room);
            case PERSONAL -> room.personalOwner().filter(principal.id()::equals).isPresent()
                    ? AccessDecision.PERMITTED
                    : AccessDecision.refused(Refusal.FORBIDDEN, room + " belongs to another user");
        };
    }
}
