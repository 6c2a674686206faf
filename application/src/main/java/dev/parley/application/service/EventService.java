package dev.parley.application.service;

import dev.parley.application.port.in.EventOutcome;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.SendEventCommand;
import dev.parley.application.port.in.SendEventUseCase;
import dev.parley.application.port.out.FanOut;
import dev.parley.domain.RoomEvent;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Events that pass through a room once and are not stored. A member's event goes to the others
 * with the identity it is in the room as; the operator's to everyone but the connection it names.
 */
public final class EventService implements SendEventUseCase {
    private static final System.Logger LOG = System.getLogger(EventService.class.getName());

    private final Sessions sessions;
    private final FanOut fanOut;

    public EventService(Sessions sessions, FanOut fanOut) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.fanOut = Objects.requireNonNull(fanOut, "fanOut");
    }

    @Override
    public CompletableFuture<EventOutcome> send(SendEventCommand command) {
        if (command.requester() instanceof Requester.Connection connection) {
            return sessions.serve(connection.id(), session -> session.mayWrite(command.room()), EventOutcome.class::cast,
                    session -> {
                        synchronized (session) {
                            return publish(new RoomEvent.Broadcast(command.room(), command.name(), command.data(),
                                    Optional.of(session.id()), session.memberIn(command.room())));
                        }
                    });
        }
        return publish(new RoomEvent.Broadcast(command.room(), command.name(), command.data(), command.except(),
                Optional.empty()));
    }

    private CompletableFuture<EventOutcome> publish(RoomEvent.Broadcast event) {
        return fanOut.publish(event).handle((ignored, failure) -> {
            if (failure != null) {
                LOG.log(Level.DEBUG, "event " + event.name() + " of room " + event.room() + " reached this node only: "
                        + failure);
            }
            return new EventOutcome.Sent();
        });
    }
}
