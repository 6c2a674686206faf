package dev.parley.adapters.pusher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.application.port.in.DisconnectUserCommand;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.QueryRoomsCommand;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.RoomsOutcome;
import dev.parley.application.port.in.SendEventCommand;
import dev.parley.application.port.in.Unavailable;
import dev.parley.application.port.out.RoomOccupancy;
import dev.parley.domain.ConnectionId;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /apps/{id}/...}: the HTTP API the Pusher server SDKs call, every request signed with the
 * app secret ({@link RequestSignature}). Events go through the same use case as client events;
 * channel listings read the rooms with members across all nodes.
 */
final class PusherHttpApi implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PusherHttpApi.class);
    static final int MAX_DATA_BYTES = 10 * 1024;
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_CHANNELS = 100;
    static final int MAX_BATCH = 10;

    private final PusherSettings settings;
    private final RequestSignature signature;
    private final PusherUseCases useCases;
    private final PusherFrames frames;

    PusherHttpApi(PusherSettings settings, Signatures signatures, PusherUseCases useCases, PusherFrames frames,
                  Clock clock) {
        this.settings = settings;
        this.signature = new RequestSignature(signatures, clock);
        this.useCases = useCases;
        this.frames = frames;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        // The path as sent, not Undertow's request path: that one drops what follows a ';' (path
        // parameters to Undertow, a character of channel names to Pusher), and the SDKs sign what they send.
        String path = rawPath(exchange.getRequestURI());
        String appPrefix = "/apps/" + settings.appId() + "/";
        Optional<String> resource = path.startsWith(appPrefix)
                ? RequestSignature.decode(path.substring(appPrefix.length())) : Optional.empty();
        if (resource.isEmpty()) {
            error(exchange, StatusCodes.NOT_FOUND, "unknown app");
            return;
        }
        exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
            if (!signature.isValid(ex.getRequestMethod().toString(), path, ex.getQueryString(), body)) {
                error(ex, StatusCodes.UNAUTHORIZED, "invalid or stale signature");
                return;
            }
            route(ex, resource.get(), body);
        }, (ex, failure) -> error(ex, StatusCodes.BAD_REQUEST, "cannot read the body"));
    }

    /** The path of a request URI as received (origin-form, or absolute-form with its scheme and host). */
    static String rawPath(String requestUri) {
        if (requestUri.startsWith("/")) {
            return requestUri;
        }
        int authority = requestUri.indexOf("://");
        int slash = authority < 0 ? -1 : requestUri.indexOf('/', authority + 3);
        return slash < 0 ? "/" : requestUri.substring(slash);
    }

    private void route(HttpServerExchange exchange, String resource, byte[] body) {
        boolean post = exchange.getRequestMethod().equals(Methods.POST);
        boolean get = exchange.getRequestMethod().equals(Methods.GET);
        if (post && resource.equals("events")) {
            events(exchange, body);
        } else if (post && resource.equals("batch_events")) {
            batch(exchange, body);
        } else if (get && resource.equals("channels")) {
            channels(exchange);
        } else if (get && resource.startsWith("channels/") && resource.endsWith("/users")) {
            users(exchange, resource.substring("channels/".length(), resource.length() - "/users".length()));
        } else if (get && resource.startsWith("channels/")) {
            channel(exchange, resource.substring("channels/".length()));
        } else if (post && resource.startsWith("users/") && resource.endsWith("/terminate_connections")) {
            terminate(exchange, resource.substring("users/".length(), resource.length() - "/terminate_connections".length()));
        } else {
            error(exchange, StatusCodes.NOT_FOUND, "no such resource");
        }
    }

    // --- triggering events ----------------------------------------------------------------------

    /** One event of a trigger, checked: its channels' rooms, name, data and the socket it leaves out. */
    private record Trigger(List<Channel> channels, String name, String data, Optional<ConnectionId> except) {
    }

    private void events(HttpServerExchange exchange, byte[] body) {
        Optional<JsonNode> request = json(exchange, body);
        if (request.isEmpty()) {
            return;
        }
        Optional<Trigger> trigger = trigger(exchange, request.get(), true);
        trigger.ifPresent(checked -> publish(exchange, List.of(checked)));
    }

    private void batch(HttpServerExchange exchange, byte[] body) {
        Optional<JsonNode> request = json(exchange, body);
        if (request.isEmpty()) {
            return;
        }
        JsonNode batch = request.get().path("batch");
        if (!batch.isArray() || batch.size() > MAX_BATCH) {
            error(exchange, StatusCodes.BAD_REQUEST, "batch must be an array of at most " + MAX_BATCH + " events");
            return;
        }
        List<Trigger> triggers = new ArrayList<>();
        for (JsonNode event : batch) {
            Optional<Trigger> trigger = trigger(exchange, event, false);
            if (trigger.isEmpty()) {
                return;
            }
            triggers.add(trigger.get());
        }
        publish(exchange, triggers);
    }

    private Optional<Trigger> trigger(HttpServerExchange exchange, JsonNode event, boolean manyChannels) {
        String name = event.path("name").asText(null);
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            error(exchange, StatusCodes.BAD_REQUEST, "name must be 1 to " + MAX_NAME_LENGTH + " characters");
            return Optional.empty();
        }
        JsonNode dataNode = event.get("data");
        if (dataNode == null || !dataNode.isTextual()) {
            error(exchange, StatusCodes.BAD_REQUEST, "data must be a string");
            return Optional.empty();
        }
        String data = dataNode.textValue();
        if (data.getBytes(StandardCharsets.UTF_8).length > MAX_DATA_BYTES) {
            error(exchange, StatusCodes.REQUEST_ENTITY_TOO_LARGE, "data is over " + MAX_DATA_BYTES + " bytes");
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        if (event.path("channel").isTextual()) {
            names.add(event.get("channel").textValue());
        } else if (manyChannels && event.path("channels").isArray()) {
            event.get("channels").forEach(channel -> names.add(channel.asText(null)));
        }
        if (names.isEmpty() || names.size() > MAX_CHANNELS) {
            error(exchange, StatusCodes.BAD_REQUEST, "name 1 to " + MAX_CHANNELS + " channels");
            return Optional.empty();
        }
        List<Channel> channels = new ArrayList<>();
        for (String channelName : names) {
            Optional<Channel> channel = Channel.parse(channelName).filter(parsed -> parsed.room().isPresent());
            if (channel.isEmpty()) {
                error(exchange, StatusCodes.BAD_REQUEST, "invalid channel name " + channelName);
                return Optional.empty();
            }
            channels.add(channel.get());
        }
        String socketId = event.path("socket_id").asText(null);
        Optional<ConnectionId> except = socketId == null || socketId.isEmpty() || socketId.length() > 64
                ? Optional.empty() : Optional.of(ConnectionId.of(socketId));
        return Optional.of(new Trigger(channels, name, data, except));
    }

    /** Sends the events in order, each to its channels, then answers {@code {}}. */
    private void publish(HttpServerExchange exchange, List<Trigger> triggers) {
        CompletableFuture<Void> sent = CompletableFuture.completedFuture(null);
        for (Trigger trigger : triggers) {
            for (Channel channel : trigger.channels()) {
                SendEventCommand command = new SendEventCommand(Requester.OPERATOR, channel.room().orElseThrow(),
                        trigger.name(), trigger.data(), trigger.except());
                sent = sent.thenCompose(ignored -> useCases.events().send(command)).thenApply(outcome -> null);
            }
        }
        respond(exchange, sent, ignored -> send(exchange, StatusCodes.OK, "{}"));
    }

    // --- channels ---------------------------------------------------------------------------------

    private void channels(HttpServerExchange exchange) {
        String prefix = query(exchange, "filter_by_prefix").orElse("");
        boolean userCount = query(exchange, "info").map(info -> List.of(info.split(",")).contains("user_count"))
                .orElse(false);
        if (userCount && !prefix.startsWith("presence-")) {
            error(exchange, StatusCodes.BAD_REQUEST, "info=user_count needs filter_by_prefix=presence-");
            return;
        }
        respond(exchange, occupied(prefix), rooms -> send(exchange, StatusCodes.OK, frames.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("channels");
            for (Map.Entry<String, RoomOccupancy> channel : rooms.entrySet()) {
                json.writeObjectFieldStart(channel.getKey());
                if (userCount) {
                    json.writeNumberField("user_count", channel.getValue().users());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        })));
    }

    private void channel(HttpServerExchange exchange, String name) {
        Optional<Channel> channel = Channel.parse(name).filter(parsed -> parsed.room().isPresent());
        if (channel.isEmpty()) {
            error(exchange, StatusCodes.BAD_REQUEST, "invalid channel name");
            return;
        }
        List<String> info = query(exchange, "info").map(value -> List.of(value.split(","))).orElse(List.of());
        if (info.contains("user_count") && channel.get().kind() != Channel.Kind.PRESENCE) {
            error(exchange, StatusCodes.BAD_REQUEST, "user_count is only for presence channels");
            return;
        }
        respond(exchange, occupied(name), rooms -> {
            Optional<RoomOccupancy> room = Optional.ofNullable(rooms.get(name));
            send(exchange, StatusCodes.OK, frames.write(json -> {
                json.writeStartObject();
                json.writeBooleanField("occupied", room.isPresent());
                if (info.contains("user_count")) {
                    json.writeNumberField("user_count", room.map(RoomOccupancy::users).orElse(0));
                }
                if (info.contains("subscription_count")) {
                    json.writeNumberField("subscription_count", room.map(RoomOccupancy::connections).orElse(0));
                }
                json.writeEndObject();
            }));
        });
    }

    /** The occupied channels whose names start with {@code prefix}, by name. */
    private CompletableFuture<Map<String, RoomOccupancy>> occupied(String prefix) {
        String roomPrefix = Channel.parse(prefix).flatMap(Channel::room).map(room -> room.value())
                .orElse(Channel.ROOM_PREFIX);
        return useCases.rooms().rooms(new QueryRoomsCommand(roomPrefix)).thenApply(outcome -> {
            if (outcome instanceof Unavailable unavailable) {
                throw new IllegalStateException("rooms unavailable: " + unavailable.cause());
            }
            Map<String, RoomOccupancy> channels = new TreeMap<>();
            for (RoomsOutcome.RoomSummary summary : ((RoomsOutcome.Rooms) outcome).rooms()) {
                RoomOccupancy room = summary.occupancy();
                Channel.ofRoom(room.room()).filter(channel -> channel.name().startsWith(prefix))
                        .ifPresent(channel -> channels.put(channel.name(), room));
            }
            return channels;
        });
    }

    private void users(HttpServerExchange exchange, String name) {
        Optional<Channel> channel = Channel.parse(name).filter(parsed -> parsed.room().isPresent());
        if (channel.isEmpty() || channel.get().kind() != Channel.Kind.PRESENCE) {
            error(exchange, StatusCodes.BAD_REQUEST, "users are listed for presence channels only");
            return;
        }
        respond(exchange, useCases.presence().presence(
                new QueryPresenceCommand(Requester.OPERATOR, channel.get().room().orElseThrow())), outcome -> {
                    if (outcome instanceof Unavailable) {
                        error(exchange, StatusCodes.SERVICE_UNAVAILABLE, "presence is unavailable; retry later");
                        return;
                    }
                    List<User> members = ((PresenceOutcome.Members) outcome).users();
                    send(exchange, StatusCodes.OK, frames.write(json -> {
                        json.writeStartObject();
                        json.writeArrayFieldStart("users");
                        for (User user : members) {
                            json.writeStartObject();
                            json.writeStringField("id", user.id().value());
                            json.writeEndObject();
                        }
                        json.writeEndArray();
                        json.writeEndObject();
                    }));
                });
    }

    private void terminate(HttpServerExchange exchange, String user) {
        if (!UserId.parse(user).isValid()) {
            error(exchange, StatusCodes.BAD_REQUEST, "invalid user id");
            return;
        }
        respond(exchange, useCases.disconnectUser().disconnect(new DisconnectUserCommand(UserId.of(user))), outcome -> {
            if (outcome instanceof Unavailable) {
                error(exchange, StatusCodes.SERVICE_UNAVAILABLE, "cannot reach the other nodes; retry later");
            } else {
                send(exchange, StatusCodes.OK, "{}");
            }
        });
    }

    // --- plumbing ---------------------------------------------------------------------------------

    private Optional<JsonNode> json(HttpServerExchange exchange, byte[] body) {
        try {
            JsonNode request = frames.mapper().readTree(body);
            if (request != null && request.isObject()) {
                return Optional.of(request);
            }
        } catch (IOException e) {
            // answered below
        }
        error(exchange, StatusCodes.BAD_REQUEST, "the body must be a JSON object");
        return Optional.empty();
    }

    private static Optional<String> query(HttpServerExchange exchange, String name) {
        var values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    private <T> void respond(HttpServerExchange exchange, CompletableFuture<T> result, Consumer<T> answered) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> result.whenComplete((value, failure) -> {
            if (failure != null) {
                LOG.warn("Pusher API request {} failed: {}", exchange.getRequestPath(), failure.toString());
                error(exchange, StatusCodes.SERVICE_UNAVAILABLE, "a store the request needs is unavailable; retry later");
            } else {
                answered.accept(value);
            }
        }));
    }

    private void error(HttpServerExchange exchange, int status, String message) {
        send(exchange, status, frames.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", message);
            json.writeEndObject();
        }));
    }

    private static void send(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body);
    }
}
