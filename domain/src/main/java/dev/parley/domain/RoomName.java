package dev.parley.domain;

import java.util.Optional;

/**
 * A room's name: 1 to 512 characters of {@code [A-Za-z0-9_.:-]}. {@code private:*} rooms are
 * joinable only with a matching grant, {@code user:<id>} only by that user. A front door may
 * allow its clients shorter names only (the {@code /ws} protocol allows 128); the longer limit
 * leaves room for names a front door derives from its own (a Pusher channel's, escaped).
 */
public record RoomName(String value) {
    public static final int MAX_LENGTH = 512;
    public static final String PRIVATE_PREFIX = "private:";
    public static final String PERSONAL_PREFIX = "user:";

    public RoomName {
        Validated<String> checked = check(value);
        if (!checked.isValid()) {
            throw new IllegalArgumentException(((Validated.Invalid<String>) checked).message());
        }
    }

    public static RoomName of(String value) {
        return new RoomName(value);
    }

    public static Validated<RoomName> parse(String value) {
        return check(value).map(RoomName::new);
    }

    private static Validated<String> check(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Validated.invalid(Violation.MALFORMED, "room must be 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Identifiers.isRoomChar(value.charAt(i))) {
                return Validated.invalid(Violation.MALFORMED, "room may contain only A-Z a-z 0-9 _ . : -");
            }
        }
        if (value.equals(PRIVATE_PREFIX) || value.equals(PERSONAL_PREFIX)) {
            return Validated.invalid(Violation.MALFORMED, "room needs a name after '" + value + "'");
        }
        return Validated.valid(value);
    }

    public RoomKind kind() {
        if (value.startsWith(PRIVATE_PREFIX)) {
            return RoomKind.PRIVATE;
        }
        if (value.startsWith(PERSONAL_PREFIX)) {
            return RoomKind.PERSONAL;
        }
        return RoomKind.PUBLIC;
    }

    /** The owner of a {@code user:<id>} room; room characters are all valid in a user id. */
    public Optional<UserId> personalOwner() {
        return kind() == RoomKind.PERSONAL
                ? Optional.of(UserId.of(value.substring(PERSONAL_PREFIX.length())))
                : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
