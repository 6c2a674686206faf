package dev.parley.adapters.websocket;

import dev.parley.domain.ConnectionId;
import dev.parley.domain.Principal;
import io.undertow.util.AttachmentKey;
import java.util.OptionalLong;

/** A handshake that passed every check; carried from the gate to the upgraded connection. */
record Admission(ConnectionId id, Principal principal, OptionalLong expiresAtMillis) {
    static final AttachmentKey<Admission> KEY = AttachmentKey.create(Admission.class);
}
