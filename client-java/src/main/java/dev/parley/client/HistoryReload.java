package dev.parley.client;

import dev.parley.domain.Epoch;
import dev.parley.domain.StreamPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Loads with {@code history} the messages a rejoin could not replay (docs/protocol.md section 9):
 * within the same epoch it pages forward from {@code since} up to the join's seq (the history's
 * retention bounds that); in a new epoch (the history was reset) it loads the newest pages up to
 * the join's seq, at most 10 pages of 100.
 */
final class HistoryReload {
    private static final int PAGE = 100;
    private static final int MAX_PAGES = 10;

    private HistoryReload() {
    }

    /** The missed messages in seq order (some past {@code upTo} may come too); completes on the loop thread. */
    static CompletableFuture<List<Message>> load(Requests requests, String room, StreamPosition since, Epoch epoch,
                                                 long upTo) {
        CompletableFuture<List<Message>> loaded = new CompletableFuture<>();
        if (since.epoch().equals(epoch)) {
            forward(requests, room, since.seq(), upTo, new ArrayList<>(), loaded);
        } else {
            backward(requests, room, upTo + 1, new ArrayList<>(), 0, loaded);
        }
        return loaded;
    }

    private static void forward(Requests requests, String room, long after, long upTo, List<Message> into,
                                CompletableFuture<List<Message>> done) {
        if (after >= upTo) {
            done.complete(into);
            return;
        }
        HistoryRequest newer = HistoryRequest.after(after, PAGE);
        requests.send("history", Frames.history(room, newer)).whenComplete((ack, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            HistoryPage page = Frames.historyPage(ack);
            into.addAll(page.messages());
            if (!page.hasMore() || page.messages().isEmpty()) {
                done.complete(into);
            } else {
                long last = page.messages().get(page.messages().size() - 1).seq();
                forward(requests, room, last, upTo, into, done);
            }
        });
    }

    private static void backward(Requests requests, String room, long before, List<Message> into, int pages,
                                 CompletableFuture<List<Message>> done) {
        if (before <= 1 || pages >= MAX_PAGES) {
            done.complete(into);
            return;
        }
        HistoryRequest older = HistoryRequest.before(before, PAGE);
        requests.send("history", Frames.history(room, older)).whenComplete((ack, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            HistoryPage page = Frames.historyPage(ack);
            into.addAll(0, page.messages());
            if (!page.hasMore() || page.messages().isEmpty()) {
                done.complete(into);
            } else {
                backward(requests, room, page.messages().get(0).seq(), into, pages + 1, done);
            }
        });
    }
}
