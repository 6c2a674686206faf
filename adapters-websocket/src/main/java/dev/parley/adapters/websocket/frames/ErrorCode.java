package dev.parley.adapters.websocket.frames;

import dev.parley.domain.Refusal;
import dev.parley.domain.Violation;

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

    /** How a refusal of the core reads on this wire. */
    public static ErrorCode of(Refusal reason) {
        return switch (reason) {
            case FORBIDDEN -> FORBIDDEN;
            case NOT_MEMBER -> NOT_MEMBER;
            case ROOM_FULL -> ROOM_FULL;
            case TOO_MANY_ROOMS -> TOO_MANY_ROOMS;
        };
    }

    /** How a value's refusal of untrusted input reads on this wire. */
    public static ErrorCode of(Violation violation) {
        return switch (violation) {
            case MALFORMED -> BAD_REQUEST;
            case TOO_LARGE -> TOO_LARGE;
        };
    }

    /** The code as clients see it, e.g. {@code not_member}. */
    public String wireName() {
        return wireName;
    }
}
