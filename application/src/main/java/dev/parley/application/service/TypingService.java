package dev.parley.application.service;

import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.application.port.in.SendTypingUseCase;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.domain.AccessDecision;
import dev.parley.domain.RoomAccessPolicy;
import dev.parley.domain.RoomEvent;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Typing indicators: fire and forget, to every other member of the room on every node. A bus
 * that fails still delivered the event to this node's members, and an indicator lost for the
 * others is harmless: the sender is answered only when refused, never {@code unavailable}.
 */
public final class TypingService implements SendTypingUseCase {
    private static final System.Logger LOG = System.getLogger(TypingService.class.getName());
    private final Sessions sessions;
    private final FanOut fanOut;
    private final RoomAccessPolicy policy;
    private final Replies replies;

    public TypingService(Sessions sessions, FanOut fanOut, RoomAccessPolicy policy, Delivery delivery) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.replies = new Replies(Objects.requireNonNull(delivery, "delivery"));
    }

    @Override
    public CompletableFuture<Void> typing(SendTypingCommand command) {
        Optional<Session> found = sessions.find(command.connection());
        if (found.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        Session session = found.get();
        AccessDecision decision = policy.mayWrite(command.room(), session.inRoom(command.room()));
        if (decision instanceof AccessDecision.Refused refused) {
            replies.refuse(session.id(), command.requestId(), refused);
            return CompletableFuture.completedFuture(null);
        }
        return fanOut.publish(new RoomEvent.Typing(command.room(), session.principal().user(), command.active(),
                        session.id()))
                .handle((ignored, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.DEBUG, "typing of " + session.id() + " reached this node only: " + failure);
                    }
                    return null;
                });
    }
}
