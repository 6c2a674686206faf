package dev.parley.adapters.pusher;

import dev.parley.application.port.in.ConnectUseCase;
import dev.parley.application.port.in.DisconnectUseCase;
import dev.parley.application.port.in.DisconnectUserUseCase;
import dev.parley.application.port.in.JoinRoomUseCase;
import dev.parley.application.port.in.LeaveRoomUseCase;
import dev.parley.application.port.in.QueryPresenceUseCase;
import dev.parley.application.port.in.QueryRoomsUseCase;
import dev.parley.application.port.in.SendEventUseCase;
import dev.parley.application.port.in.SignInUseCase;
import java.util.Objects;

/** The use cases this front door drives: the same core as {@code /ws}, through its in-ports only. */
public record PusherUseCases(
        ConnectUseCase connect,
        SignInUseCase signIn,
        DisconnectUseCase disconnect,
        JoinRoomUseCase join,
        LeaveRoomUseCase leave,
        SendEventUseCase events,
        QueryRoomsUseCase rooms,
        QueryPresenceUseCase presence,
        DisconnectUserUseCase disconnectUser) {

    public PusherUseCases {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(signIn, "signIn");
        Objects.requireNonNull(disconnect, "disconnect");
        Objects.requireNonNull(join, "join");
        Objects.requireNonNull(leave, "leave");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(disconnectUser, "disconnectUser");
    }
}
