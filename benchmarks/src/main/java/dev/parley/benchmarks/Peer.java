package dev.parley.benchmarks;

import java.net.URI;

/**
 * The server the generator talks to ({@code --peer}): Parley's own protocol, or one of the peers
 * of the comparison in {@code benchmarks/peers} (issue 14). Each dialect says where to connect,
 * how a chat is framed, and when a connection counts as ready: Parley after its {@code welcome}
 * (and in the room after the join's ack), the bare {@code ws} server as soon as the upgrade is
 * done (every connection is in its one room), Socket.IO once the namespace is connected (the
 * server's {@code 40} answer to the client's {@code 40}).
 */
enum Peer {
    /** Parley's protocol (docs/protocol.md): join_room, chat with an id, acks. */
    PARLEY,
    /** benchmarks/peers/ws-server.js: every text frame is relayed to every connection. */
    WS,
    /**
     * benchmarks/peers/socketio-server.js over Engine.IO v4 WebSocket frames: {@code 0{...}}
     * open, {@code 40} namespace connect, {@code 42["chat",text]} events, ping {@code 2} and
     * pong {@code 3}.
     */
    SOCKETIO;

    /** Where connection {@code user} connects, given a {@code --url}. */
    URI connectUri(URI base, String user) {
        String url = base.toString();
        String separator = url.contains("?") ? "&" : "?";
        return switch (this) {
            case PARLEY -> URI.create(url + separator + "user=" + user);
            case WS -> base;
            case SOCKETIO -> {
                String path = base.getRawPath() == null || base.getRawPath().isEmpty() || base.getRawPath().equals("/")
                        ? "/socket.io/" : base.getRawPath();
                String query = (base.getRawQuery() == null ? "" : base.getRawQuery() + "&") + "EIO=4&transport=websocket";
                yield URI.create(base.getScheme() + "://" + base.getRawAuthority() + path + "?" + query);
            }
        };
    }

    /** A chat frame whose text starts with {@code sentNanos}, so receivers can measure latency. */
    String chat(String room, String padding, long sentNanos, long sequence) {
        return switch (this) {
            case PARLEY -> "{\"type\":\"chat\",\"id\":\"m" + sentNanos + "x" + sequence + "\",\"payload\":{\"room\":\""
                    + room + "\",\"text\":\"" + sentNanos + " " + padding + "\"}}";
            case WS -> "{\"type\":\"chat\",\"room\":\"" + room + "\",\"text\":\"" + sentNanos + " " + padding + "\"}";
            case SOCKETIO -> "42[\"chat\",\"" + sentNanos + " " + padding + "\"]";
        };
    }
}
