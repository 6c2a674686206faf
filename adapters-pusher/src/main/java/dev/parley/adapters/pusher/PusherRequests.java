package dev.parley.adapters.pusher;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.application.port.in.ConnectOutcome;
import dev.parley.application.port.in.EventOutcome;
import dev.parley.application.port.in.JoinOutcome;
import dev.parley.application.port.in.JoinRoomCommand;
import dev.parley.application.port.in.LeaveRoomCommand;
import dev.parley.application.port.in.NotConnected;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.SendEventCommand;
import dev.parley.application.port.in.SignInCommand;
import dev.parley.application.port.in.SignInOutcome;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.Principal;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import dev.parley.domain.Validated;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a Pusher socket asks for, each mapped to a use case and its outcome back to the Pusher
 * wire: subscriptions (signed per channel), sign-in, client events, pings.
 */
final class PusherRequests {
    static final String SUBSCRIPTION_SUCCEEDED = "pusher_internal:subscription_succeeded";
    static final String SUBSCRIPTION_ERROR = "pusher:subscription_error";

    private final Signatures signatures;
    private final PusherUseCases useCases;
    private final PusherFrames frames;
    private final PusherMetrics metrics;

    PusherRequests(Signatures signatures, PusherUseCases useCases, PusherFrames frames, PusherMetrics metrics) {
        this.signatures = signatures;
        this.useCases = useCases;
        this.frames = frames;
        this.metrics = metrics;
    }

    void handle(PusherSocket socket, String text) {
        Optional<PusherFrames.Inbound> read = frames.read(text);
        metrics.frameIn(read.map(PusherFrames.Inbound::event).orElse("invalid"));
        if (!socket.takeFrame()) {
            error(socket, PusherCloseCodes.CLIENT_EVENT_REFUSED, "too many frames; slow down");
            return;
        }
        if (read.isEmpty()) {
            error(socket, PusherCloseCodes.UNAUTHORIZED, "a frame must be a JSON object with a string event");
            return;
        }
        PusherFrames.Inbound inbound = read.get();
        switch (inbound.event()) {
            case "pusher:ping" -> socket.send(frames.event("pusher:pong", null, "{}", null), "pusher:pong");
            case "pusher:pong" -> {
                // a sign of life; the socket was touched already
            }
            case "pusher:subscribe" -> subscribe(socket, inbound.data());
            case "pusher:unsubscribe" -> unsubscribe(socket, inbound.data());
            case "pusher:signin" -> signIn(socket, inbound.data());
            default -> {
                if (inbound.event().startsWith("client-")) {
                    clientEvent(socket, inbound);
                }
                // other events are not for the server to answer, as with Pusher
            }
        }
    }

    // --- subscriptions --------------------------------------------------------------------------

    private void subscribe(PusherSocket socket, JsonNode data) {
        Optional<ObjectNode> request = frames.object(data);
        String name = request.map(r -> r.path("channel").asText(null)).orElse(null);
        Optional<Channel> parsed = Channel.parse(name);
        Optional<RoomName> room = parsed.flatMap(Channel::room);
        if (room.isEmpty()) {
            error(socket, PusherCloseCodes.UNAUTHORIZED, "invalid channel name " + abbreviate(name));
            return;
        }
        Channel channel = parsed.get();
        String auth = request.get().path("auth").asText(null);
        String channelData = request.get().path("channel_data").asText(null);
        Optional<User> member = Optional.empty();
        switch (channel.kind()) {
            case PRIVATE, ENCRYPTED -> {
                if (!signatures.isValidAuth(auth, Signatures.subscription(socket.socketId(), name, null))) {
                    subscriptionError(socket, name, 401, "invalid signature for " + name);
                    return;
                }
            }
            case PRESENCE -> {
                if (channelData == null
                        || !signatures.isValidAuth(auth, Signatures.subscription(socket.socketId(), name, channelData))) {
                    subscriptionError(socket, name, 401, "invalid signature for " + name);
                    return;
                }
                member = member(channelData);
                if (member.isEmpty()) {
                    subscriptionError(socket, name, 400, "channel_data needs a user_id (a string or a number)");
                    return;
                }
            }
            case SERVER_TO_USER -> {
                if (!socket.signedInAs().equals(channel.serverToUser())) {
                    subscriptionError(socket, name, 401, "only a socket signed in as its user may subscribe to " + name);
                    return;
                }
            }
            case PUBLIC -> {
                // anyone may
            }
        }
        Optional<User> as = member;
        CompletableFuture<SignInOutcome> known = as.isPresent() && socket.signedInAs().isEmpty()
                // A presence member makes the socket's user known: it counts towards that user's connections.
                ? useCases.signIn().signIn(new SignInCommand(socket.id(),
                        new Principal(as.get(), PusherEndpoint.CHANNEL_ROOMS)))
                : CompletableFuture.completedFuture(new SignInOutcome.SignedIn());
        known.thenCompose(signedIn -> {
            if (signedIn instanceof ConnectOutcome.TooManyConnections) {
                subscriptionError(socket, name, 429, "too many connections for this user");
                return CompletableFuture.completedFuture(null);
            }
            if (signedIn instanceof SignInOutcome.SignedIn && as.isPresent() && socket.signedInAs().isEmpty()) {
                socket.signedIn(as.get().id().value());
            }
            return useCases.join().join(new JoinRoomCommand(socket.id(), room.get(), Optional.empty(), as))
                    .thenAccept(outcome -> joined(socket, channel, as, outcome));
        });
    }

    private void joined(PusherSocket socket, Channel channel, Optional<User> member, JoinOutcome outcome) {
        if (outcome instanceof JoinOutcome.Joined joined) {
            socket.subscriptions().put(channel.name(), new PusherSocket.Subscription(channel, member));
            String data = channel.kind() == Channel.Kind.PRESENCE ? presence(joined.presence()) : "{}";
            socket.send(frames.event(SUBSCRIPTION_SUCCEEDED, channel.name(), data, null), SUBSCRIPTION_SUCCEEDED);
            joined.handOver().deliver();
        } else if (outcome instanceof Unavailable) {
            subscriptionError(socket, channel.name(), 503, "a store the subscription needs is unavailable; retry later");
        } else if (!(outcome instanceof NotConnected)) {
            subscriptionError(socket, channel.name(), 403, "subscription refused");
        }
    }

    /** {@code {"presence":{"ids":[...],"hash":{id:info},"count":n}}} of the members present. */
    private String presence(List<User> members) {
        return frames.write(json -> {
            json.writeStartObject();
            json.writeObjectFieldStart("presence");
            json.writeArrayFieldStart("ids");
            for (User user : members) {
                json.writeString(user.id().value());
            }
            json.writeEndArray();
            json.writeObjectFieldStart("hash");
            for (User user : members) {
                json.writeFieldName(user.id().value());
                if (user.info().isPresent()) {
                    json.writeRawValue(user.info().get());
                } else {
                    json.writeNull();
                }
            }
            json.writeEndObject();
            json.writeNumberField("count", members.size());
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /** A presence member from {@code channel_data}: {@code user_id} as a string or a number, {@code user_info} if any. */
    private Optional<User> member(String channelData) {
        JsonNode data;
        try {
            data = frames.mapper().readTree(channelData);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
        if (data == null || !data.isObject()) {
            return Optional.empty();
        }
        JsonNode userId = data.get("user_id");
        String id = userId == null ? null : userId.isTextual() ? userId.textValue()
                : userId.isIntegralNumber() ? userId.asText() : null;
        Validated<UserId> parsed = UserId.parse(id);
        if (!parsed.isValid()) {
            return Optional.empty();
        }
        JsonNode info = data.get("user_info");
        Optional<String> infoText = info == null || info.isNull() ? Optional.empty() : Optional.of(info.toString());
        if (infoText.isPresent() && infoText.get().length() > User.MAX_INFO_CHARS) {
            return Optional.empty();
        }
        return Optional.of(User.withDisplayName(parsed.value(), id).withInfo(infoText));
    }

    private void unsubscribe(PusherSocket socket, JsonNode data) {
        String name = frames.object(data).map(r -> r.path("channel").asText(null)).orElse(null);
        PusherSocket.Subscription left = name == null ? null : socket.subscriptions().remove(name);
        if (left != null) {
            left.channel().room().ifPresent(room ->
                    useCases.leave().leave(new LeaveRoomCommand(socket.id(), room)));
        }
    }

    // --- sign-in ----------------------------------------------------------------------------------

    private void signIn(PusherSocket socket, JsonNode data) {
        Optional<ObjectNode> request = frames.object(data);
        String auth = request.map(r -> r.path("auth").asText(null)).orElse(null);
        String userData = request.map(r -> r.path("user_data").asText(null)).orElse(null);
        Optional<User> user = userData == null ? Optional.empty() : signedInUser(userData);
        if (userData == null || user.isEmpty()
                || !signatures.isValidAuth(auth, Signatures.signIn(socket.socketId(), userData))) {
            error(socket, PusherCloseCodes.UNAUTHORIZED, "invalid sign-in signature or user data");
            socket.close(PusherCloseCodes.UNAUTHORIZED, "invalid sign-in");
            return;
        }
        useCases.signIn().signIn(new SignInCommand(socket.id(), new Principal(user.get(), PusherEndpoint.CHANNEL_ROOMS)))
                .thenAccept(outcome -> {
                    if (outcome instanceof SignInOutcome.SignedIn) {
                        socket.signedIn(user.get().id().value());
                        String success = frames.write(json -> {
                            json.writeStartObject();
                            json.writeStringField("user_data", userData);
                            json.writeEndObject();
                        });
                        socket.send(frames.event("pusher:signin_success", null, success, null), "pusher:signin_success");
                    } else if (outcome instanceof ConnectOutcome.TooManyConnections) {
                        error(socket, PusherCloseCodes.OVER_USER_QUOTA, "too many connections for this user");
                        socket.close(PusherCloseCodes.OVER_USER_QUOTA, "too many connections for this user");
                    } else if (outcome instanceof Unavailable) {
                        error(socket, PusherCloseCodes.OVER_CAPACITY, "the server cannot sign in now; retry later");
                        socket.close(PusherCloseCodes.OVER_CAPACITY, "sign-in unavailable");
                    }
                });
    }

    /** The user of a sign-in's {@code user_data}: a JSON object with a non-empty string {@code id}. */
    private Optional<User> signedInUser(String userData) {
        try {
            JsonNode data = frames.mapper().readTree(userData);
            if (data == null || !data.isObject() || !data.path("id").isTextual()) {
                return Optional.empty();
            }
            Validated<UserId> id = UserId.parse(data.get("id").textValue());
            JsonNode info = data.get("user_info");
            return id.isValid()
                    ? Optional.of(User.withDisplayName(id.value(), id.value().value())
                            .withInfo(info == null || info.isNull() ? Optional.empty() : Optional.of(info.toString())))
                    : Optional.empty();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // --- client events ----------------------------------------------------------------------------

    private void clientEvent(PusherSocket socket, PusherFrames.Inbound inbound) {
        PusherSocket.Subscription subscription = inbound.channel().map(socket.subscriptions()::get).orElse(null);
        if (subscription == null || !subscription.channel().kind().takesClientEvents()) {
            error(socket, PusherCloseCodes.CLIENT_EVENT_REFUSED,
                    "client events go only to private and presence channels the socket is subscribed to");
            return;
        }
        if (!socket.takeClientEvent()) {
            error(socket, PusherCloseCodes.CLIENT_EVENT_REFUSED, "more than "
                    + PusherSettings.CLIENT_EVENTS_PER_SECOND + " client events per second");
            return;
        }
        RoomName room = subscription.channel().room().orElseThrow();
        useCases.events().send(new SendEventCommand(Requester.connection(socket.id()), room, inbound.event(),
                frames.dataText(inbound.data()), Optional.empty())).thenAccept(outcome -> {
                    if (!(outcome instanceof EventOutcome.Sent) && !(outcome instanceof NotConnected)) {
                        error(socket, PusherCloseCodes.CLIENT_EVENT_REFUSED, "client event refused");
                    }
                });
    }

    // --- answers ------------------------------------------------------------------------------------

    private void error(PusherSocket socket, int code, String message) {
        socket.send(frames.error(code, message), "pusher:error");
    }

    private void subscriptionError(PusherSocket socket, String channel, int status, String message) {
        String data = frames.write(json -> {
            json.writeStartObject();
            json.writeStringField("type", "AuthError");
            json.writeStringField("error", message);
            json.writeNumberField("status", status);
            json.writeEndObject();
        });
        socket.send(frames.event(SUBSCRIPTION_ERROR, channel, data, null), SUBSCRIPTION_ERROR);
    }

    private static String abbreviate(String name) {
        return name == null ? "(none)" : name.length() <= 40 ? name : name.substring(0, 40) + "...";
    }
}
