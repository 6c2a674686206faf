package dev.parley.application.port.out;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The history of every room: the source of truth for seqs, idempotency, replay and gap
 * filling. Every method answers through its future and never blocks the caller; a future
 * that fails means the store is unavailable and nothing was stored.
 */
public interface MessageStore {

    /**
     * Stores a message with the room's next seq (from 1, gap-free across all nodes), or finds
     * the one stored before under the same (room, sender, id). Completes only once the
     * message is durable.
     */
    CompletableFuture<AppendOutcome> append(MessageDraft draft);

    /** The room's epoch, latest seq and oldest retained seq; a room never written is empty. */
    CompletableFuture<RoomStreamState> streamState(RoomName room);

    /** Retained messages with seq in {@code (afterSeq, throughSeq]}, ascending. */
    CompletableFuture<List<ChatMessage>> range(RoomName room, long afterSeq, long throughSeq);

    CompletableFuture<HistoryPage> history(HistoryQuery query);
}
