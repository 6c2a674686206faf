package dev.parley.domain;

import java.util.List;
import java.util.Objects;

/** Messages ascending by seq; {@code hasMore} when more lie beyond the page in its direction. */
public record HistoryPage(RoomName room, List<ChatMessage> messages, boolean hasMore) {
    public HistoryPage {
        Objects.requireNonNull(room, "room");
        messages = List.copyOf(messages);
    }
}
