package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.FanOut;
import dev.parley.application.port.out.MessageStore;
import dev.parley.application.port.out.NodeSignals;
import dev.parley.application.port.out.PresenceStore;
import dev.parley.application.service.ChatService;
import dev.parley.application.service.ConnectionService;
import dev.parley.application.service.EventService;
import dev.parley.application.service.LocalRooms;
import dev.parley.application.service.MembershipService;
import dev.parley.application.service.RoomQueryService;
import dev.parley.application.service.Sessions;
import dev.parley.application.service.TypingService;
import dev.parley.domain.Limits;
import dev.parley.domain.RoomAccessPolicy;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The use cases, whatever adapters serve them. */
final class CoreModule extends AbstractModule {
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
    Sessions sessions(Limits limits) {
        return new Sessions(new RoomAccessPolicy(), limits);
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
    LocalRooms localRooms(MessageStore store, FanOut fanOut, Delivery delivery, ScheduledExecutorService timer) {
        return new LocalRooms(store, fanOut, delivery, timer, config.gapWait());
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
                                  NodeSignals signals, Delivery delivery, Limits limits) {
        return new ConnectionService(sessions, presence, membership, signals, delivery, limits);
    }

    @Provides
    @Singleton
    EventService events(Sessions sessions, FanOut fanOut) {
        return new EventService(sessions, fanOut);
    }

    @Provides
    @Singleton
    ChatService chat(Sessions sessions, MessageStore store, FanOut fanOut) {
        return new ChatService(sessions, store, fanOut);
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
