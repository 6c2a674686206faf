package dev.parley.application.service;

import dev.parley.application.port.in.SendTypingCommand;
import dev.parley.application.port.in.SendTypingUseCase;
import dev.parley.application.port.in.TypingOutcome;
import dev.parley.application.port.out.FanOut;
import dev.parley.domain.RoomEvent;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Typing indicators: fire and forget, to every other member of the room on every node. A bus
 * that fails still delivered the event to this node's members, and an indicator lost for the
 * others is harmless: the outcome is {@code Sent} either way.
 */
public final class TypingService implements SendTypingUseCase {
    private static final System.Logger LOG = System.getLogger(TypingService.class.getName());

    private final Sessions sessions;
    private final FanOut fanOut;

    public TypingService(Sessions sessions, FanOut fanOut) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
    }

    @Override
    public CompletableFuture<TypingOutcome> typing(SendTypingCommand command) {
        return sessions.serve(command.connection(), session -> session.mayWrite(command.room()),
                TypingOutcome.class::cast,
                session -> fanOut.publish(new RoomEvent.Typing(command.room(), session.principal().user(),
                                command.active(), session.id()))
                        .handle((ignored, failure) -> {
                            if (failure != null) {
                                LOG.log(Level.DEBUG, "typing of " + session.id() + " reached this node only: " + failure);
                            }
                            return new TypingOutcome.Sent();
                        }));
    }
}
