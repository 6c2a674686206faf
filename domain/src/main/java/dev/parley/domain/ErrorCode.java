package dev.parley.domain;

/** Why a request was refused: the codes of docs/protocol.md section 6. */
public enum ErrorCode {
    BAD_REQUEST("bad_request"),
    UNKNOWN_TYPE("unknown_type"),
    TOO_LARGE("too_large"),
    NOT_MEMBER("not_member"),
    FORBIDDEN("forbidden"),
    ROOM_FULL("room_full"),
    TOO_MANY_ROOMS("too_many_rooms"),
    RATE_LIMITED("rate_limited"),
    UNAVAILABLE("unavailable"),
    INTERNAL("internal");

    private final String wireName;

    ErrorCode(String wireName) {
        this.wireName = wireName;
    }

    /** The code as clients see it, e.g. {@code not_member}. */
    public String wireName() {
        return wireName;
    }
}
