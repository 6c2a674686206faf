package dev.parley.domain;

import java.util.List;

/**
 * How full a room is as a joining connection finds it: the distinct users present, and whether
 * its own user is among them (a second tab takes no new member slot).
 */
public record Occupancy(int users, boolean includesJoiner) {

    public Occupancy {
        if (users < 0) {
            throw new IllegalArgumentException("users must not be negative: " + users);
        }
    }

    public static Occupancy of(List<User> present, UserId joiner) {
        return new Occupancy(present.size(), present.stream().anyMatch(user -> user.id().equals(joiner)));
    }
}
