package dev.parley.adapters.websocket.http;

import dev.parley.application.port.in.DisconnectUserUseCase;
import dev.parley.application.port.in.QueryNodesUseCase;
import dev.parley.application.port.in.QueryRoomUseCase;
import dev.parley.application.port.in.QueryRoomsUseCase;
import dev.parley.application.port.in.QueryUserConnectionsUseCase;
import dev.parley.application.port.in.TraceRoomUseCase;
import java.util.Objects;

/** The use cases of the operator's view that the HTTP API drives. */
public record OperatorUseCases(
        QueryNodesUseCase nodes,
        QueryRoomsUseCase rooms,
        QueryRoomUseCase room,
        QueryUserConnectionsUseCase connections,
        DisconnectUserUseCase disconnect,
        TraceRoomUseCase trace) {

    public OperatorUseCases {
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(rooms, "rooms");
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(disconnect, "disconnect");
        Objects.requireNonNull(trace, "trace");
    }
}
