package dev.parley.adapters.pusher;

import dev.parley.domain.RoomName;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A Pusher channel: its name, its kind (which follows from the name, as Pusher has it), and the
 * Parley room it lives in. Every channel's room is a private room under {@code private:pusher:},
 * so that no {@code /ws} client can join one without a grant: the rights to a Pusher channel are
 * the signatures this front door checks. Characters a room name does not take are written
 * {@code :hh} (hex of each UTF-8 byte); {@code :} itself is not in Pusher's alphabet, so the
 * mapping reads back.
 */
record Channel(String name, Kind kind) {
    static final int MAX_LENGTH = 164;
    static final String ROOM_PREFIX = "private:pusher:";
    static final String SERVER_TO_USER = "#server-to-user-";

    enum Kind {
        PUBLIC, PRIVATE, ENCRYPTED, PRESENCE, SERVER_TO_USER;

        /** Subscribing needs a signature (or, for a user's own channel, a sign-in). */
        boolean isGuarded() {
            return this != PUBLIC;
        }

        /** Client events may pass: private and presence channels, whose members are authenticated. */
        boolean takesClientEvents() {
            return this == PRIVATE || this == PRESENCE;
        }
    }

    Channel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** The channel a client or the HTTP API named, or empty when Pusher would refuse the name. */
    static Optional<Channel> parse(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.empty();
        }
        if (name.startsWith(SERVER_TO_USER)) {
            return name.length() > SERVER_TO_USER.length()
                    ? Optional.of(new Channel(name, Kind.SERVER_TO_USER))
                    : Optional.empty();
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isChannelChar(name.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new Channel(name, kindOf(name)));
    }

    private static Kind kindOf(String name) {
        if (name.startsWith("private-encrypted-")) {
            return Kind.ENCRYPTED;
        }
        if (name.startsWith("private-")) {
            return Kind.PRIVATE;
        }
        if (name.startsWith("presence-")) {
            return Kind.PRESENCE;
        }
        return Kind.PUBLIC;
    }

    private static boolean isChannelChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '_' || c == '-' || c == '=' || c == '@' || c == ',' || c == '.' || c == ';';
    }

    /** The user a {@code #server-to-user-<id>} channel belongs to. */
    Optional<String> serverToUser() {
        return kind == Kind.SERVER_TO_USER ? Optional.of(name.substring(SERVER_TO_USER.length())) : Optional.empty();
    }

    /** The room this channel lives in; empty when the name is too long to be one. */
    Optional<RoomName> room() {
        StringBuilder room = new StringBuilder(ROOM_PREFIX);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) {
                room.append(c);
            } else {
                room.append(':').append(HexFormat.of().toHexDigits(b));
            }
        }
        return RoomName.parse(room.toString()).isValid() ? Optional.of(RoomName.of(room.toString())) : Optional.empty();
    }

    /** The channel a room of this front door holds, or empty for any other room. */
    static Optional<Channel> ofRoom(RoomName room) {
        String value = room.value();
        if (!value.startsWith(ROOM_PREFIX)) {
            return Optional.empty();
        }
        byte[] bytes = new byte[value.length()];
        int length = 0;
        for (int i = ROOM_PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' && i + 2 < value.length()) {
                bytes[length++] = (byte) HexFormat.fromHexDigits(value, i + 1, i + 3);
                i += 2;
            } else {
                bytes[length++] = (byte) c;
            }
        }
        return parse(new String(bytes, 0, length, StandardCharsets.UTF_8));
    }
}
