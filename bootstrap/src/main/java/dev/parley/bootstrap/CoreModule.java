package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.parley.application.port.out.AckTimings;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.NodeDirectory;
import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.service.ChatService;
import dev.parley.application.service.ConnectionService;
import dev.parley.application.service.EventService;
import dev.parley.application.service.LocalRooms;
import dev.parley.application.service.MembershipService;
import dev.parley.application.service.NodeActivity;
import dev.parley.application.service.NodeService;
import dev.parley.application.service.RoomQueryService;
import dev.parley.application.service.Sessions;
import dev.parley.application.service.TraceService;
import dev.parley.application.service.TypingService;
import dev.parley.application.service.UserConnectionsService;
import dev.parley.domain.Limits;
import dev.parley.domain.RoomAccessPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The use cases, whatever adapters serve them. */
final class CoreModule extends AbstractModule {
    /** How long a user's connections are gathered from the nodes that have not answered yet. */
    private static final Duration USER_CONNECTIONS_PATIENCE = Duration.ofSeconds(2);

    private final ParleyConfig config;

    CoreModule(ParleyConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    Limits limits() {
        return config.limits();
    }

    @Provides
    @Singleton
    Sessions sessions(Limits limits, Clock clock) {
        return new Sessions(new RoomAccessPolicy(), limits, clock);
    }

    @Provides
    @Singleton
    NodeActivity activity() {
        return new NodeActivity();
    }


    @Provides
    @Singleton
    ScheduledExecutorService timer() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-timer");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Provides
    @Singleton
    LocalRooms localRooms(MessageStore store, FanOut fanOut, Delivery delivery, ScheduledExecutorService timer,
                          NodeActivity activity) {
        return new LocalRooms(store, fanOut, delivery, timer, config.gapWait(), activity);
    }

    @Provides
    @Singleton
    MembershipService membership(Sessions sessions, LocalRooms rooms, MessageStore store, PresenceStore presence,
                                 FanOut fanOut) {
        return new MembershipService(sessions, rooms, store, presence, fanOut);
    }

    @Provides
    @Singleton
    ConnectionService connections(Sessions sessions, PresenceStore presence, MembershipService membership,
                                  Limits limits) {
        return new ConnectionService(sessions, presence, membership, limits);
    }

    @Provides
    @Singleton
    UserConnectionsService users(Sessions sessions, NodeSignals signals, NodeDirectory directory, Delivery delivery,
                                 ScheduledExecutorService timer) {
        return new UserConnectionsService(config.nodeId(), sessions, signals, directory, delivery, timer,
                USER_CONNECTIONS_PATIENCE);
    }

    @Provides
    @Singleton
    NodeService node(Clock clock, Sessions sessions, LocalRooms rooms, NodeActivity activity, AckTimings acks,
                     NodeDirectory directory, ScheduledExecutorService timer) {
        return new NodeService(config.nodeId(), clock, sessions, rooms, activity, acks, directory, timer);
    }

    @Provides
    @Singleton
    TraceService traces(LocalRooms rooms) {
        return new TraceService(rooms);
    }

    @Provides
    @Singleton
    EventService events(Sessions sessions, FanOut fanOut) {
        return new EventService(sessions, fanOut);
    }

    @Provides
    @Singleton
    ChatService chat(Sessions sessions, MessageStore store, FanOut fanOut, NodeActivity activity) {
        return new ChatService(sessions, store, fanOut, activity);
    }

    @Provides
    @Singleton
    TypingService typing(Sessions sessions, FanOut fanOut) {
        return new TypingService(sessions, fanOut);
    }

    @Provides
    @Singleton
    RoomQueryService queries(Sessions sessions, MessageStore store, PresenceStore presence) {
        return new RoomQueryService(sessions, store, presence);
    }

}
