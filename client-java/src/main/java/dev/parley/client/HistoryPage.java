package dev.parley.client;

import java.util.List;

/** One page of a room's history, ascending by seq; {@code hasMore}: more beyond it in its direction. */
public record HistoryPage(String room, List<Message> messages, boolean hasMore) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
