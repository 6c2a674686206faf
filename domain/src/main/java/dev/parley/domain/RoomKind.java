package dev.parley.domain;

/** Who may join a room follows from its kind, which follows from its name. */
public enum RoomKind {
    /** Anyone may join. */
    PUBLIC,
    /** {@code private:*}: only users whose grants match. */
    PRIVATE,
    /** {@code user:<id>}: only that user; a channel for their notifications. */
    PERSONAL
}
