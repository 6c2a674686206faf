package dev.parley.adapters.websocket;

import dev.parley.application.port.in.ConnectUseCase;
import dev.parley.application.port.in.DisconnectUseCase;
import dev.parley.application.port.in.JoinRoomUseCase;
import dev.parley.application.port.in.LeaveRoomUseCase;
import dev.parley.application.port.in.PublishServerMessageUseCase;
import dev.parley.application.port.in.QueryHistoryUseCase;
import dev.parley.application.port.in.QueryPresenceUseCase;
import dev.parley.application.port.in.SendChatUseCase;
import dev.parley.application.port.in.SendTypingUseCase;
import java.util.Objects;

/** The use cases this adapter drives. */
public record ParleyUseCases(
        ConnectUseCase connect,
        DisconnectUseCase disconnect,
        JoinRoomUseCase join,
        LeaveRoomUseCase leave,
        SendChatUseCase chat,
        SendTypingUseCase typing,
        QueryHistoryUseCase history,
        QueryPresenceUseCase presence,
        PublishServerMessageUseCase publish) {

    public ParleyUseCases {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(disconnect, "disconnect");
        Objects.requireNonNull(join, "join");
        Objects.requireNonNull(leave, "leave");
        Objects.requireNonNull(chat, "chat");
        Objects.requireNonNull(typing, "typing");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(publish, "publish");
    }
}
