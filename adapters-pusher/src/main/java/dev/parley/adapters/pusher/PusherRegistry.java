package dev.parley.adapters.pusher;

import dev.parley.application.port.out.Delivery;
import dev.parley.application.port.out.DisconnectReason;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.User;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's Pusher sockets, and the {@link Delivery} port over them: a room event becomes the
 * Pusher event its channel's subscribers expect (an app event, or a presence channel's
 * {@code member_added} / {@code member_removed}), written once for all of them. Events a Pusher
 * client has no frame for (chat messages, typing of {@code /ws} clients) are passed by.
 */
final class PusherRegistry implements Delivery {
    static final String MEMBER_ADDED = "pusher_internal:member_added";
    static final String MEMBER_REMOVED = "pusher_internal:member_removed";

    private final ConcurrentHashMap<ConnectionId, PusherSocket> sockets = new ConcurrentHashMap<>();
    private final PusherFrames frames;

    PusherRegistry(PusherFrames frames) {
        this.frames = frames;
    }

    void add(PusherSocket socket) {
        sockets.put(socket.id(), socket);
    }

    void remove(ConnectionId id) {
        sockets.remove(id);
    }

    int size() {
        return sockets.size();
    }

    List<PusherSocket> all() {
        return List.copyOf(sockets.values());
    }

    @Override
    public void deliver(Collection<ConnectionId> ids, RoomEvent event) {
        List<PusherSocket> recipients = new ArrayList<>();
        for (ConnectionId id : ids) {
            PusherSocket socket = sockets.get(id);
            if (socket != null) {
                recipients.add(socket);
            }
        }
        if (recipients.isEmpty()) {
            return;
        }
        Optional<Channel> channel = Channel.ofRoom(event.room());
        if (channel.isEmpty()) {
            return;
        }
        String name = channel.get().name();
        String frame;
        String type;
        if (event instanceof RoomEvent.Broadcast broadcast) {
            String userId = channel.get().kind() == Channel.Kind.PRESENCE
                    ? broadcast.sender().map(sender -> sender.id().value()).orElse(null) : null;
            frame = frames.event(broadcast.name(), name, broadcast.data(), userId);
            type = broadcast.name();
        } else if (event instanceof RoomEvent.PresenceChanged change && channel.get().kind() == Channel.Kind.PRESENCE) {
            type = change.joined() ? MEMBER_ADDED : MEMBER_REMOVED;
            frame = frames.event(type, name, memberData(change.user(), change.joined()), null);
        } else {
            return;
        }
        for (PusherSocket socket : recipients) {
            socket.send(frame, type);
        }
    }

    /** {@code {"user_id":...,"user_info":...}} for an arrival, {@code {"user_id":...}} for a departure. */
    String memberData(User user, boolean withInfo) {
        return frames.write(json -> {
            json.writeStartObject();
            json.writeStringField("user_id", user.id().value());
            if (withInfo && user.info().isPresent()) {
                json.writeFieldName("user_info");
                json.writeRawValue(user.info().get());
            }
            json.writeEndObject();
        });
    }

    /** An operator ended the connection: Pusher's "unauthorized", which pusher-js does not reconnect after. */
    @Override
    public void disconnect(ConnectionId id, DisconnectReason reason) {
        PusherSocket socket = sockets.get(id);
        if (socket != null) {
            socket.close(PusherCloseCodes.UNAUTHORIZED, "connection terminated by the server");
        }
    }
}
