package dev.parley.adapters.websocket.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.parley.adapters.websocket.frames.FrameEncoder;
import dev.parley.adapters.websocket.frames.Json;
import dev.parley.adapters.websocket.frames.ServerMessage;
import dev.parley.application.port.in.DisconnectUserCommand;
import dev.parley.application.port.in.DisconnectUserOutcome;
import dev.parley.application.port.in.NodesOutcome;
import dev.parley.application.port.in.QueryRoomsCommand;
import dev.parley.application.port.in.RoomOutcome;
import dev.parley.application.port.in.RoomsOutcome;
import dev.parley.application.port.in.TraceOutcome;
import dev.parley.application.port.in.TraceRoomCommand;
import dev.parley.application.port.in.UserConnectionsOutcome;
import dev.parley.application.port.out.NodeReport;
import dev.parley.application.port.out.UserConnection;
import dev.parley.domain.RoomEvent;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import dev.parley.domain.UserId;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.server.handlers.sse.ServerSentEventHandler;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import dev.parley.domain.Validated;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operator's part of the HTTP API (docs/protocol.md section 10): the nodes of the cluster,
 * the rooms with members, one room, a user's connections (and closing them), and a room's live
 * trace as server-sent events. Every request needs the admin key.
 */
public final class OperatorApi {
    static final int DEFAULT_ROOMS = 100;
    static final int MAX_ROOMS = 1_000;
    /**
     * A comment line this often keeps a quiet trace's connection (and the proxies on its way) open;
     * a write that fails is also how a trace whose client went away ends, so it is short.
     */
    private static final Duration TRACE_KEEP_ALIVE = Duration.ofSeconds(5);
    /** The user path, as mounted (see {@link #userConnections}). */
    public static final String USERS_PATH = "/api/users/";
    private static final String CONNECTIONS_PATH = "/connections";

    private final OperatorUseCases useCases;
    private final FrameEncoder encoder;
    private final ApiAnswers answers;

    public OperatorApi(OperatorUseCases useCases, FrameEncoder encoder, Json codec, Optional<String> adminKey) {
        this.useCases = Objects.requireNonNull(useCases, "useCases");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.answers = new ApiAnswers(codec, adminKey);
    }

    public HttpHandler nodes() {
        return get(exchange -> answers.respond(exchange, useCases.nodes().nodes(), outcome ->
                answers.send(exchange, StatusCodes.OK, json -> {
                    json.writeStartObject();
                    json.writeArrayFieldStart("nodes");
                    for (NodeReport node : ((NodesOutcome.Nodes) outcome).nodes()) {
                        writeNode(json, node);
                    }
                    json.writeEndArray();
                    json.writeEndObject();
                })));
    }

    public HttpHandler rooms() {
        return get(exchange -> {
            String prefix = ApiAnswers.parameter(exchange, "prefix").orElse("");
            if (prefix.length() > RoomName.MAX_LENGTH) {
                answers.badRequest(exchange, "prefix is longer than a room name can be");
                return;
            }
            int limit;
            try {
                limit = ApiAnswers.parameter(exchange, "limit").map(Integer::parseInt).orElse(DEFAULT_ROOMS);
            } catch (NumberFormatException e) {
                limit = 0;
            }
            if (limit < 1 || limit > MAX_ROOMS) {
                answers.badRequest(exchange, "limit must be an integer from 1 to " + MAX_ROOMS);
                return;
            }
            Optional<RoomName> after = Optional.empty();
            Optional<String> afterParameter = ApiAnswers.parameter(exchange, "after");
            if (afterParameter.isPresent()) {
                var parsed = RoomName.parse(afterParameter.get());
                if (answers.refused(exchange, parsed)) {
                    return;
                }
                after = Optional.of(parsed.value());
            }
            answers.respond(exchange, useCases.rooms().rooms(new QueryRoomsCommand(prefix, after, limit, true)),
                    outcome -> writeRooms(exchange, (RoomsOutcome.Rooms) outcome));
        });
    }

    public HttpHandler room() {
        return get(exchange -> {
            RoomName room = answers.pathParameter(exchange, "room", RoomName::parse);
            if (room == null) {
                return;
            }
            answers.respond(exchange, useCases.room().room(room), outcome -> {
                RoomOutcome.Room found = (RoomOutcome.Room) outcome;
                answers.send(exchange, StatusCodes.OK, json -> {
                    json.writeStartObject();
                    json.writeStringField("room", room.value());
                    json.writeFieldName("members");
                    Json.writeUsers(json, found.members());
                    writeStream(json, found.stream());
                    json.writeNumberField("historyDepth", found.historyDepth());
                    json.writeEndObject();
                });
            });
        });
    }

    /**
     * {@code /api/users/{id}/connections}: GET lists the user's connections on every node; DELETE
     * closes them with 4003. Mounted on the prefix {@code /api/users/}: the id is read from the
     * path as the client sent it and decoded here, since a user id may hold {@code /} or {@code ?}
     * (a JWT {@code sub} can), which the server's own decoding would split or cut.
     */
    public HttpHandler userConnections() {
        return answers.admin(exchange -> {
            UserId user = userOfRawPath(exchange);
            if (user == null) {
                return;
            }
            if (exchange.getRequestMethod().equals(Methods.GET)) {
                answers.respond(exchange, useCases.connections().connections(user), outcome ->
                        writeConnections(exchange, (UserConnectionsOutcome.Connections) outcome));
            } else if (exchange.getRequestMethod().equals(Methods.DELETE)) {
                answers.respond(exchange, useCases.disconnect().disconnect(new DisconnectUserCommand(user)), outcome ->
                        answers.send(exchange, StatusCodes.OK, json -> {
                            json.writeStartObject();
                            json.writeNumberField("closed", ((DisconnectUserOutcome.Requested) outcome).connections());
                            json.writeEndObject();
                        }));
            } else {
                answers.error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET or DELETE");
            }
        });
    }

    /**
     * The room's events as they pass, as server-sent events named by frame type, each with the
     * frame as {@code /ws} sends it. The trace starts before the answer does, so whatever is
     * sent once the client has the answer's headers is in it; what passes before the stream is
     * open waits in the trace.
     */
    public HttpHandler trace() {
        return get(exchange -> {
            RoomName room = answers.pathParameter(exchange, "room", RoomName::parse);
            if (room == null) {
                return;
            }
            TraceStream stream = new TraceStream();
            exchange.addExchangeCompleteListener((done, next) -> {
                stream.stop();
                next.proceed();
            });
            answers.respond(exchange, useCases.trace().trace(new TraceRoomCommand(room, stream::onEvent)), outcome -> {
                stream.started((TraceOutcome.Tracing) outcome);
                try {
                    new ServerSentEventHandler((connection, lastEventId) -> stream.open(connection))
                            .handleRequest(exchange);
                } catch (Exception e) {
                    stream.stop();
                    throw new IllegalStateException("cannot open the trace's event stream", e);
                }
            });
        });
    }

    /**
     * One trace: events wait here until the event stream is open, then go straight to it. Events
     * come under the room's lock; stopping takes that lock too, so it runs on another thread,
     * never under this stream's or the connection's.
     */
    private final class TraceStream {
        private final List<RoomEvent> waiting = new ArrayList<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private volatile TraceOutcome.Tracing tracing;
        private ServerSentEventConnection connection;

        /** The trace runs; stopped at once if the request ended meanwhile (stopping twice is harmless). */
        void started(TraceOutcome.Tracing started) {
            tracing = started;
            if (stopped.get()) {
                CompletableFuture.runAsync(started.stop());
            }
        }

        synchronized void onEvent(RoomEvent event) {
            if (event instanceof RoomEvent.Broadcast || stopped.get()) {
                return; // a Broadcast is another front door's event: /ws has no frame for it
            }
            if (connection == null) {
                waiting.add(event);
            } else {
                send(event);
            }
        }

        synchronized void open(ServerSentEventConnection opened) {
            connection = opened;
            opened.setKeepAliveTime(TRACE_KEEP_ALIVE.toMillis());
            waiting.forEach(this::send);
            waiting.clear();
        }

        private void send(RoomEvent event) {
            ServerMessage frame = ServerMessage.of(event);
            connection.send(encoder.encode(frame), FrameEncoder.typeOf(frame), null, null);
        }

        void stop() {
            if (stopped.compareAndSet(false, true)) {
                TraceOutcome.Tracing current = tracing;
                if (current != null) {
                    CompletableFuture.runAsync(current.stop());
                }
            }
        }
    }

    /** The user of {@code /api/users/<percent-encoded id>/connections}, or null once a 4xx is sent. */
    private UserId userOfRawPath(HttpServerExchange exchange) {
        String raw = exchange.getRequestURI();
        int query = raw.indexOf('?');
        String path = query < 0 ? raw : raw.substring(0, query);
        if (!path.startsWith(USERS_PATH) || !path.endsWith(CONNECTIONS_PATH)
                || path.length() <= USERS_PATH.length() + CONNECTIONS_PATH.length()) {
            answers.error(exchange, StatusCodes.NOT_FOUND, "not_found", "no such path; see /api/users/{id}/connections");
            return null;
        }
        String encoded = path.substring(USERS_PATH.length(), path.length() - CONNECTIONS_PATH.length());
        String id;
        try {
            // Path segments keep '+' as it is: only %XX escapes mean anything here.
            id = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            answers.badRequest(exchange, "the user id is not well percent-encoded");
            return null;
        }
        Validated<UserId> user = UserId.parse(id);
        return answers.refused(exchange, user) ? null : user.value();
    }

    private HttpHandler get(HttpHandler next) {
        return answers.admin(exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                answers.error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
                return;
            }
            next.handleRequest(exchange);
        });
    }

    private void writeRooms(HttpServerExchange exchange, RoomsOutcome.Rooms rooms) {
        answers.send(exchange, StatusCodes.OK, json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("rooms");
            for (RoomsOutcome.RoomSummary room : rooms.rooms()) {
                json.writeStartObject();
                json.writeStringField("room", room.occupancy().room().value());
                json.writeNumberField("members", room.occupancy().users());
                if (room.stream().isPresent()) {
                    writeStream(json, room.stream().get());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeBooleanField("hasMore", rooms.hasMore());
            json.writeEndObject();
        });
    }

    private static void writeStream(JsonGenerator json, RoomStreamState stream) throws IOException {
        json.writeNumberField("lastSeq", stream.latestSeq());
        json.writeStringField("epoch", stream.epoch().value());
    }

    private void writeConnections(HttpServerExchange exchange, UserConnectionsOutcome.Connections found) {
        answers.send(exchange, StatusCodes.OK, json -> {
            json.writeStartObject();
            json.writeStringField("user", found.user().value());
            json.writeArrayFieldStart("connections");
            for (UserConnection connection : found.connections()) {
                json.writeStartObject();
                json.writeStringField("id", connection.id().value());
                json.writeStringField("node", connection.node().value());
                json.writeNumberField("connectedAt", connection.connectedAt().toEpochMilli());
                json.writeArrayFieldStart("rooms");
                for (RoomName room : connection.rooms()) {
                    json.writeString(room.value());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static void writeNode(JsonGenerator json, NodeReport node) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", node.node().value());
        json.writeNumberField("startedAt", node.startedAt().toEpochMilli());
        json.writeNumberField("connections", node.connections());
        json.writeNumberField("rooms", node.rooms());
        json.writeNumberField("chatsPerSecond", rounded(node.chatsPerSecond()));
        json.writeNumberField("deliveriesPerSecond", rounded(node.deliveriesPerSecond()));
        if (node.ack().isPresent()) {
            json.writeObjectFieldStart("ackMs");
            json.writeNumberField("p50", rounded(node.ack().get().p50Millis()));
            json.writeNumberField("p99", rounded(node.ack().get().p99Millis()));
            json.writeEndObject();
        } else {
            json.writeNullField("ackMs");
        }
        json.writeEndObject();
    }

    /** Two decimals: the figures are averages, not counts. */
    private static double rounded(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
