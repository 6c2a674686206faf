package dev.parley.adapters.postgres;

import dev.parley.domain.MessageData;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.util.Optional;
import java.util.UUID;

/** Drafts and room names for the tests. */
final class Drafts {
    static final User ALICE = new User(UserId.of("alice"), "Alice");
    static final User BOB = new User(UserId.of("bob"), "Bob");

    private Drafts() {
    }

    static RoomName uniqueRoom(String label) {
        return RoomName.of("pg-" + label + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }

    static MessageDraft draft(RoomName room, String id, User from, String text) {
        return new MessageDraft(room, RequestId.of(id), from, new MessageText(text), Optional.empty());
    }

    static MessageDraft draft(RoomName room, String id, User from, String text, String json) {
        return new MessageDraft(room, RequestId.of(id), from, new MessageText(text), Optional.of(new MessageData(json)));
    }
}
