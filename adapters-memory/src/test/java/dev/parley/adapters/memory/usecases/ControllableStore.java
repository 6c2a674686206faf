package dev.parley.adapters.memory.usecases;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.StoreUnavailableException;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A history store that can be taken down, or whose answers can be held back, around a real
 * in-memory one. Down: every call fails and nothing is stored. Held appends: the append is
 * carried out at once (stored) but its future completes only when the hold is released. Held
 * stream states and ranges: the read itself waits for the release.
 */
final class ControllableStore implements MessageStore {
    private final MessageStore delegate;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicBoolean streamStateDown = new AtomicBoolean();
    private final AtomicReference<CompletableFuture<Void>> appendHold = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> rangeHold = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> streamStateHold = new AtomicReference<>();
    private final AtomicInteger appendCalls = new AtomicInteger();
    private final AtomicInteger rangeCalls = new AtomicInteger();

    ControllableStore(MessageStore delegate) {
        this.delegate = delegate;
    }

    MessageStore delegate() {
        return delegate;
    }

    void down(boolean isDown) {
        down.set(isDown);
    }

    /** Only {@code streamState} fails; appends still work. */
    void streamStateDown(boolean isDown) {
        streamStateDown.set(isDown);
    }

    /** Holds the answers of appends made from now on until the returned future is completed. */
    CompletableFuture<Void> holdAppends() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        appendHold.set(hold);
        return hold;
    }

    /**
     * Range reads asked from now on are carried out only when the returned future completes, so
     * they see what was stored, and what retention dropped, meanwhile.
     */
    CompletableFuture<Void> holdRanges() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        rangeHold.set(hold);
        return hold;
    }

    /**
     * Stream state reads asked from now on are carried out only when the returned future
     * completes, so they see what was stored meanwhile.
     */
    CompletableFuture<Void> holdStreamStates() {
        CompletableFuture<Void> hold = new CompletableFuture<>();
        streamStateHold.set(hold);
        return hold;
    }

    /** Stream state reads asked from now on go through; those held before stay held. */
    void stopHoldingStreamStates() {
        streamStateHold.set(null);
    }

    int appendCalls() {
        return appendCalls.get();
    }

    int rangeCalls() {
        return rangeCalls.get();
    }

    @Override
    public CompletableFuture<AppendOutcome> append(MessageDraft draft) {
        appendCalls.incrementAndGet();
        return call(() -> delegate.append(draft), appendHold.get());
    }

    @Override
    public CompletableFuture<RoomStreamState> streamState(RoomName room) {
        if (streamStateDown.get()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("stream state is down"));
        }
        CompletableFuture<Void> hold = streamStateHold.get();
        if (hold != null) {
            return hold.thenCompose(ignored -> call(() -> delegate.streamState(room), null));
        }
        return call(() -> delegate.streamState(room), null);
    }

    @Override
    public CompletableFuture<List<ChatMessage>> range(RoomName room, long afterSeq, long throughSeq) {
        rangeCalls.incrementAndGet();
        CompletableFuture<Void> hold = rangeHold.get();
        if (hold != null) {
            return hold.thenCompose(ignored -> call(() -> delegate.range(room, afterSeq, throughSeq), null));
        }
        return call(() -> delegate.range(room, afterSeq, throughSeq), null);
    }

    @Override
    public CompletableFuture<HistoryPage> history(HistoryQuery query) {
        return call(() -> delegate.history(query), null);
    }

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> operation, CompletableFuture<Void> hold) {
        if (down.get()) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("the store is down"));
        }
        CompletableFuture<T> answer = operation.get();
        return hold == null ? answer : hold.thenCompose(ignored -> answer);
    }
}
