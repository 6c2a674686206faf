package dev.parley.domain;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The private rooms a user may join, as glob patterns from their token's {@code rooms}
 * claim: {@code *} matches any run of characters, {@code ?} exactly one.
 */
public record RoomGrants(List<String> patterns) {
    public static final RoomGrants NONE = new RoomGrants(List.of());

    public RoomGrants {
        patterns = List.copyOf(Objects.requireNonNull(patterns, "patterns"));
    }

    public static RoomGrants of(String... patterns) {
        return new RoomGrants(List.of(patterns));
    }

    public boolean permits(RoomName room) {
        for (String pattern : patterns) {
            if (globToRegex(pattern).matcher(room.value()).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
