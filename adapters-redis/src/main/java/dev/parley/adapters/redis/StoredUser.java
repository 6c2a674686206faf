package dev.parley.adapters.redis;

import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.Optional;

/**
 * How a user's display name and info share the one value the presence scripts keep per user:
 * the name alone, or {@code \u0001name\u0001info} when there is info. Display names hold no
 * control characters, so the marker cannot be part of one.
 */
final class StoredUser {
    private static final char MARK = '\u0001';

    private StoredUser() {
    }

    static String encode(User user) {
        return user.info().map(info -> MARK + user.name() + MARK + info).orElse(user.name());
    }

    static User decode(UserId id, String stored) {
        if (stored.isEmpty() || stored.charAt(0) != MARK) {
            return new User(id, stored);
        }
        int end = stored.indexOf(MARK, 1);
        return new User(id, stored.substring(1, end), Optional.of(stored.substring(end + 1)));
    }
}
