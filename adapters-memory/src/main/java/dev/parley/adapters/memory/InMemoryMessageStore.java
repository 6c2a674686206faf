package dev.parley.adapters.memory;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.MessageStore;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.UserId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * History in memory: per room a ring of the latest {@code retention} messages, gap-free seqs
 * from 1, and idempotency on (sender, id) for every retained message. One epoch per instance,
 * so positions from before a restart are never replayed. Thread-safe; answers at once.
 *
 * <p>With a maximum age, messages older than it are dropped from the oldest end: every call on
 * a room drops its expired messages first (so answers never include them), and
 * {@link #pruneExpired()} frees those of rooms nobody touches.
 */
public final class InMemoryMessageStore implements MessageStore {
    public static final int DEFAULT_RETENTION = 10_000;

    private final Clock clock;
    private final int retention;
    private final Optional<Duration> maxAge;
    private final Epoch epoch;
    private final ConcurrentHashMap<RoomName, RoomLog> rooms = new ConcurrentHashMap<>();

    public InMemoryMessageStore(Clock clock, int retention, Optional<Duration> maxAge) {
        if (retention < 1) {
            throw new IllegalArgumentException("retention must be at least 1");
        }
        if (maxAge.isPresent() && (maxAge.get().isNegative() || maxAge.get().isZero())) {
            throw new IllegalArgumentException("maximum age must be positive, not " + maxAge.get());
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = retention;
        this.maxAge = maxAge;
        this.epoch = Epoch.of(UUID.randomUUID().toString().substring(0, 8));
    }

    public InMemoryMessageStore(Clock clock, int retention) {
        this(clock, retention, Optional.empty());
    }

    public InMemoryMessageStore(Clock clock) {
        this(clock, DEFAULT_RETENTION);
    }

    @Override
    public CompletableFuture<AppendOutcome> append(MessageDraft draft) {
        return CompletableFuture.completedFuture(log(draft.room()).append(draft));
    }

    @Override
    public CompletableFuture<RoomStreamState> streamState(RoomName room) {
        RoomLog log = rooms.get(room);
        return CompletableFuture.completedFuture(log == null ? RoomStreamState.empty(epoch) : log.state());
    }

    @Override
    public CompletableFuture<List<ChatMessage>> range(RoomName room, long afterSeq, long throughSeq) {
        RoomLog log = rooms.get(room);
        return CompletableFuture.completedFuture(log == null ? List.of() : log.between(afterSeq + 1, throughSeq));
    }

    @Override
    public CompletableFuture<HistoryPage> history(HistoryQuery query) {
        RoomLog log = rooms.get(query.room());
        if (log == null) {
            return CompletableFuture.completedFuture(new HistoryPage(query.room(), List.of(), false));
        }
        return CompletableFuture.completedFuture(log.page(query));
    }

    /** Drops every room's messages older than the maximum age (none without one). */
    public void pruneExpired() {
        if (maxAge.isPresent()) {
            rooms.values().forEach(RoomLog::dropExpired);
        }
    }

    private RoomLog log(RoomName room) {
        return rooms.computeIfAbsent(room, name -> new RoomLog());
    }

    private record IdempotencyKey(UserId sender, RequestId id) {
    }

    private final class RoomLog {
        private final ChatMessage[] ring = new ChatMessage[retention];
        private final Map<IdempotencyKey, ChatMessage> byKey = new HashMap<>();
        private long latest;
        private long oldest = 1;

        synchronized AppendOutcome append(MessageDraft draft) {
            dropExpired();
            IdempotencyKey key = new IdempotencyKey(draft.from().id(), draft.id());
            ChatMessage earlier = byKey.get(key);
            if (earlier != null) {
                return new AppendOutcome.Duplicate(earlier);
            }
            ChatMessage message = draft.stored(latest + 1, clock.millis());
            int slot = slot(message.seq());
            ChatMessage evicted = ring[slot];
            if (evicted != null) {
                byKey.remove(new IdempotencyKey(evicted.from().id(), evicted.id()));
            }
            ring[slot] = message;
            byKey.put(key, message);
            latest = message.seq();
            oldest = Math.max(oldest, latest - retention + 1);
            return new AppendOutcome.Stored(message);
        }

        /** Seqs only grow with time, so the expired messages are a prefix: drop from the oldest on. */
        synchronized void dropExpired() {
            if (maxAge.isEmpty()) {
                return;
            }
            long cutoff = clock.millis() - maxAge.get().toMillis();
            while (oldest <= latest && ring[slot(oldest)].sentAt() < cutoff) {
                ChatMessage expired = ring[slot(oldest)];
                byKey.remove(new IdempotencyKey(expired.from().id(), expired.id()));
                ring[slot(oldest)] = null;
                oldest++;
            }
        }

        synchronized RoomStreamState state() {
            dropExpired();
            return new RoomStreamState(epoch, latest, oldest);
        }

        synchronized List<ChatMessage> between(long from, long to) {
            dropExpired();
            long low = Math.max(from, oldest);
            long high = Math.min(to, latest);
            List<ChatMessage> messages = new ArrayList<>((int) Math.max(0, high - low + 1));
            for (long seq = low; seq <= high; seq++) {
                messages.add(ring[slot(seq)]);
            }
            return messages;
        }

        synchronized HistoryPage page(HistoryQuery query) {
            dropExpired();
            HistoryQuery.Page page = query.pageWithin(oldest, latest);
            return new HistoryPage(query.room(), between(page.from(), page.to()), page.hasMore());
        }

        private int slot(long seq) {
            return (int) ((seq - 1) % retention);
        }
    }
}
