package dev.parley.application.service;

import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.PublishServerMessageUseCase;
import dev.parley.application.port.in.SendChatCommand;
import dev.parley.application.port.in.SendChatUseCase;
import dev.parley.application.port.out.AppendOutcome;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.ServerMessage;
import dev.parley.domain.AccessDecision;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.MessageDraft;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.User;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Posting messages: stored first (the ack means durable), then fanned out. A repeated id is
 * answered with the first message's seq and not delivered again (guarantee 3). When the bus
 * fails after the store succeeded the message is still acknowledged: members' rooms fill
 * the gap from history.
 */
public final class ChatService implements SendChatUseCase, PublishServerMessageUseCase {
    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final Sessions sessions;
    private final MessageStore store;
    private final FanOut fanOut;
    private final RoomAccessPolicy policy;
    private final Replies replies;

    public ChatService(Sessions sessions, MessageStore store, FanOut fanOut, RoomAccessPolicy policy,
                       Delivery delivery) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.store = Objects.requireNonNull(store, "store");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.replies = new Replies(Objects.requireNonNull(delivery, "delivery"));
    }

    @Override
    public CompletableFuture<Void> send(SendChatCommand command) {
        Optional<Session> found = sessions.find(command.connection());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Session session = found.get();
        AccessDecision decision = policy.mayWrite(command.room(), session.inRoom(command.room()));
        if (decision instanceof AccessDecision.Refused refused) {
            replies.refuse(session.id(), Optional.of(command.requestId()), refused);
            return CompletableFuture.completedFuture(null);
        }
        MessageDraft draft = new MessageDraft(command.room(), command.requestId(), session.principal().user(),
                command.text(), command.data());
        return append(draft).handle((outcome, failure) -> {
            if (failure != null) {
                replies.unavailable(session.id(), Optional.of(command.requestId()), failure);
            } else {
                replies.ack(session.id(), command.requestId(), new ServerMessage.ChatAck(command.room(),
                        outcome.message().seq(), outcome instanceof AppendOutcome.Duplicate));
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<AppendOutcome> publish(PublishServerMessageCommand command) {
        return append(new MessageDraft(command.room(), command.id(), User.SYSTEM, command.text(), command.data()));
    }

    private CompletableFuture<AppendOutcome> append(MessageDraft draft) {
        return store.append(draft).thenApply(outcome -> {
            if (outcome instanceof AppendOutcome.Stored stored) {
                fanOut(stored.message());
            }
            return outcome;
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
