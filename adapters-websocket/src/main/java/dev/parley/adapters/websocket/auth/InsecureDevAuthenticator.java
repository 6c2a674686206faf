package dev.parley.adapters.websocket.auth;

import dev.parley.domain.Principal;
import dev.parley.domain.RoomGrants;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import dev.parley.domain.Validated;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code insecure-dev}: whoever connects is who {@code ?user=} says, or a random guest. For a
 * laptop only: the server binds to loopback in this mode.
 */
public final class InsecureDevAuthenticator implements Authenticator {
    private final SecureRandom random = new SecureRandom();

    @Override
    public Result authenticate(Optional<String> bearerToken, Optional<String> user, Optional<String> name) {
        String id = user.filter(u -> !u.isEmpty()).orElseGet(this::guest);
        Validated<UserId> userId = UserId.parse(id);
        if (userId instanceof Validated.Invalid<UserId> invalid) {
            return new Rejected(invalid.message());
        }
        User who = User.withDisplayName(userId.value(), name.orElse(id));
        return new Authenticated(new Principal(who, RoomGrants.NONE), OptionalLong.empty());
    }

    private String guest() {
        byte[] bytes = new byte[2];
        random.nextBytes(bytes);
        return "guest-" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public String mode() {
        return "insecure-dev";
    }

    @Override
    public boolean verifiesIdentity() {
        return false;
    }
}
