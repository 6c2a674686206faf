package dev.parley.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.parley.adapters.pusher.PusherFrontDoor;
import dev.parley.adapters.pusher.PusherSettings;
import dev.parley.adapters.pusher.PusherUseCases;
import dev.parley.adapters.websocket.ServerMetrics;
import dev.parley.application.service.ConnectionService;
import dev.parley.application.service.UserConnectionsService;
import dev.parley.application.service.EventService;
import dev.parley.application.service.MembershipService;
import dev.parley.application.service.RoomQueryService;
import java.time.Clock;
import java.time.Duration;

/**
 * The Pusher protocol 7 front door ({@code PARLEY_PUSHER_*}), on the same use cases, port,
 * metrics and limits as {@code /ws}. Its sockets join this node's {@link FrontDoorDeliveries}.
 */
final class PusherModule extends AbstractModule {
    private final ParleyConfig config;

    PusherModule(ParleyConfig config) {
        this.config = config;
    }

    @Provides
    @Singleton
    PusherUseCases useCases(ConnectionService connections, MembershipService membership, EventService events,
                            RoomQueryService queries, UserConnectionsService users) {
        return new PusherUseCases(connections, connections, connections, membership, membership, events, queries,
                queries, users);
    }

    @Provides
    @Singleton
    PusherFrontDoor frontDoor(PusherUseCases useCases, ServerMetrics metrics, Clock clock,
                              FrontDoorDeliveries deliveries) {
        PusherApp app = config.pusher().orElseThrow(() -> new IllegalStateException("no PARLEY_PUSHER_* settings"));
        PusherSettings settings = new PusherSettings(app.appId(), app.key(), app.secret(), config.nodeId(),
                Duration.ofSeconds(Math.max(1, config.heartbeatInterval().toSeconds())), config.heartbeatTimeout(),
                config.allowedOrigins(), 64 * 1024, config.outboundLimits().maxQueuedFrames(), config.ratePerSecond(),
                config.rateBurst());
        PusherFrontDoor frontDoor = new PusherFrontDoor(settings, useCases, metrics.registry(), clock,
                config.maxConnections());
        deliveries.add(frontDoor.delivery());
        return frontDoor;
    }
}
