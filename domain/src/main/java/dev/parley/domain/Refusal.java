package dev.parley.domain;

/** Why a connection may not do what it asked, although it asked properly. */
public enum Refusal {
    /** A private room without a matching grant, or another user's personal room. */
    FORBIDDEN,
    /** Writing to a room the connection has not joined. */
    NOT_MEMBER,
    /** The room is at its member limit. */
    ROOM_FULL,
    /** The connection is at its room limit. */
    TOO_MANY_ROOMS
}
