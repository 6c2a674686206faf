package dev.parley.adapters.websocket.auth;

import dev.parley.domain.Principal;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** Turns a handshake's credentials into a principal (docs/protocol.md section 1). */
public interface Authenticator {

    /**
     * @param bearerToken the token of an {@code Authorization: Bearer} header, else of {@code ?token=}
     * @param user        {@code ?user=}, used by {@code insecure-dev} only
     * @param name        {@code ?name=}, used by {@code insecure-dev} only
     */
    Result authenticate(Optional<String> bearerToken, Optional<String> user, Optional<String> name);

    /** The mode's name for the start-up log line. */
    String mode();

    /**
     * False when the mode takes the client's word for who it is ({@code insecure-dev}): the
     * server then accepts handshakes only under loopback host names.
     */
    default boolean verifiesIdentity() {
        return true;
    }

    sealed interface Result permits Authenticated, Rejected {
    }

    /** {@code expiresAtMillis}: when the credentials expire (the connection is closed with 4001 then). */
    record Authenticated(Principal principal, OptionalLong expiresAtMillis) implements Result {
        public Authenticated {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(expiresAtMillis, "expiresAtMillis");
        }
    }

    record Rejected(String reason) implements Result {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
