package dev.parley.application.service;

import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.PublishServerMessageUseCase;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendChatUseCase;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.User;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Posting messages: stored first (a stored outcome means durable), then fanned out. A repeated
 * id is answered with the first message and not delivered again (guarantee 3). When the bus
 * fails after the store succeeded the message is still stored: members' rooms fill the gap from
 * history.
 */
public final class ChatService implements SendChatUseCase, PublishServerMessageUseCase {
    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final Sessions sessions;
    private final MessageStore store;
    private final FanOut fanOut;
    private final NodeActivity activity;

    public ChatService(Sessions sessions, MessageStore store, FanOut fanOut, NodeActivity activity) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.store = Objects.requireNonNull(store, "store");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.activity = Objects.requireNonNull(activity, "activity");
    }

    @Override
    public CompletableFuture<ChatOutcome> send(SendChatCommand command) {
        return sessions.serve(command.connection(), session -> session.mayWrite(command.room()), ChatOutcome.class::cast,
                session -> append(new MessageDraft(command.room(), command.id(), session.principal().user(),
                        command.text(), command.data())));
    }

    @Override
    public CompletableFuture<ChatOutcome> publish(PublishServerMessageCommand command) {
        return append(new MessageDraft(command.room(), command.id(), User.SYSTEM, command.text(), command.data()));
    }

    private CompletableFuture<ChatOutcome> append(MessageDraft draft) {
        return store.append(draft).handle((appended, failure) -> {
            if (failure != null) {
                return Unavailable.because(failure);
            }
            if (appended instanceof AppendOutcome.Stored stored) {
                activity.chatStored();
                fanOut(stored.message());
                return new ChatOutcome.Stored(stored.message());
            }
            return new ChatOutcome.Duplicate(appended.message());
        });
    }

    private void fanOut(ChatMessage message) {
        fanOut.publish(new RoomEvent.Posted(message)).exceptionally(failure -> {
            LOG.log(Level.WARNING, "cannot fan out message " + message.seq() + " of room " + message.room()
                    + "; members will read it from history: " + failure);
            return null;
        });
    }
}
