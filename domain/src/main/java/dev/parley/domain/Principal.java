package dev.parley.domain;

import java.util.Objects;

/** An authenticated user and what their credentials allow. */
public record Principal(User user, RoomGrants grants) {
    public Principal {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(grants, "grants");
    }

    public UserId id() {
        return user.id();
    }
}
