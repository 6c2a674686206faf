package dev.parley.adapters.websocket.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.application.port.in.ChatOutcome;
import dev.parley.application.port.in.HistoryOutcome;
import dev.parley.application.port.in.PresenceOutcome;
import dev.parley.application.port.in.PublishServerMessageUseCase;
import dev.parley.application.port.in.QueryHistoryUseCase;
import dev.parley.application.port.in.QueryPresenceUseCase;
import dev.parley.application.port.in.PublishServerMessageCommand;
import dev.parley.application.port.in.QueryHistoryCommand;
import dev.parley.application.port.in.QueryPresenceCommand;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.Requester;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.Limits;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.Validated;
import dev.parley.domain.Violation;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.Objects;
import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.adapters.websocket.frames.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the server (docs/protocol.md section 10): health, metrics and the operator API.
 * Errors are JSON {@code {"error": code, "message": ...}} with the matching status.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String JSON = "application/json";

    private final PublishServerMessageUseCase publish;
    private final QueryHistoryUseCase history;
    private final QueryPresenceUseCase presence;
    private final Json codec;
    private final Limits limits;
    private final Optional<byte[]> adminKey;
    private final List<HealthCheck> checks;
    private final BooleanSupplier draining;
    private final Supplier<String> metrics;

    /**
     * @param adminKey the bearer key of {@code /api/*}; without one {@code /api/*} answers 401
     * @param metrics  the Prometheus text of {@code /metrics}
     */
    public HttpApi(PublishServerMessageUseCase publish, QueryHistoryUseCase history, QueryPresenceUseCase presence,
                   Json codec, Limits limits, Optional<String> adminKey, List<HealthCheck> checks,
                   BooleanSupplier draining, Supplier<String> metrics) {
        this.publish = Objects.requireNonNull(publish, "publish");
        this.history = Objects.requireNonNull(history, "history");
        this.presence = Objects.requireNonNull(presence, "presence");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.adminKey = adminKey.map(key -> key.getBytes(StandardCharsets.UTF_8));
        this.checks = List.copyOf(checks);
        this.draining = Objects.requireNonNull(draining, "draining");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public HttpHandler health() {
        return exchange -> {
            boolean isDraining = draining.getAsBoolean();
            boolean down = isDraining;
            boolean degraded = false;
            for (HealthCheck check : checks) {
                down |= check.status() == HealthCheck.Status.DOWN;
                degraded |= check.status() == HealthCheck.Status.DEGRADED;
            }
            String status = down ? "DOWN" : degraded ? "DEGRADED" : "UP";
            send(exchange, down ? StatusCodes.SERVICE_UNAVAILABLE : StatusCodes.OK, codec.write(json -> {
                json.writeStartObject();
                json.writeStringField("status", status);
                json.writeObjectFieldStart("checks");
                for (HealthCheck check : checks) {
                    json.writeStringField(check.name(), check.status().name());
                }
                if (isDraining) {
                    json.writeStringField("server", "DRAINING");
                }
                json.writeEndObject();
                json.writeEndObject();
            }));
        };
    }

    public HttpHandler metrics() {
        return exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getResponseSender().send(metrics.get());
        };
    }

    public HttpHandler messages() {
        return admin(exchange -> {
            RoomName room = room(exchange);
            if (room == null) {
                return;
            }
            if (exchange.getRequestMethod().equals(Methods.POST)) {
                exchange.getRequestReceiver().receiveFullBytes((ex, body) -> publish(ex, room, body),
                        (ex, failure) -> error(ex, StatusCodes.BAD_REQUEST, "bad_request", "cannot read body"));
            } else if (exchange.getRequestMethod().equals(Methods.GET)) {
                history(exchange, room);
            } else {
                error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET or POST");
            }
        });
    }

    public HttpHandler presence() {
        return admin(exchange -> {
            RoomName room = room(exchange);
            if (room == null) {
                return;
            }
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
                return;
            }
            respond(exchange, presence.presence(new QueryPresenceCommand(Requester.OPERATOR, room)),
                    outcome -> {
                        PresenceOutcome.Members members = (PresenceOutcome.Members) outcome;
                        send(exchange, StatusCodes.OK, codec.write(json -> {
                            json.writeStartObject();
                            json.writeStringField("room", room.value());
                            json.writeFieldName("members");
                            Json.writeUsers(json, members.users());
                            json.writeEndObject();
                        }));
                    });
        });
    }

    private void publish(HttpServerExchange exchange, RoomName room, byte[] body) {
        JsonNode request;
        try {
            request = codec.mapper().readTree(body);
        } catch (IOException e) {
            error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "body is not valid JSON");
            return;
        }
        if (request == null || !request.isObject()) {
            error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "body must be a JSON object");
            return;
        }
        JsonNode textNode = request.get("text");
        if (textNode == null || !textNode.isTextual()) {
            error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "text must be a string");
            return;
        }
        Validated<MessageText> text = MessageText.sanitize(textNode.textValue(), limits);
        if (refused(exchange, text)) {
            return;
        }
        Optional<MessageData> data;
        try {
            data = codec.data(request);
        } catch (Json.BadField e) {
            error(exchange, status(e.code()), e.code().wireName(), e.getMessage());
            return;
        }
        JsonNode idNode = request.get("id");
        Validated<RequestId> id;
        if (idNode == null || idNode.isNull()) {
            id = Validated.valid(RequestId.of(UUID.randomUUID().toString()));
        } else if (!idNode.isTextual()) {
            id = Validated.invalid(Violation.MALFORMED, "id must be a string");
        } else {
            id = RequestId.parse(idNode.textValue());
        }
        if (refused(exchange, id)) {
            return;
        }
        respond(exchange, publish.publish(new PublishServerMessageCommand(room, id.value(), text.value(), data)),
                outcome -> {
                    ChatMessage message = outcome instanceof ChatOutcome.Stored stored ? stored.message()
                            : ((ChatOutcome.Duplicate) outcome).message();
                    boolean duplicate = outcome instanceof ChatOutcome.Duplicate;
                    send(exchange, duplicate ? StatusCodes.OK : StatusCodes.CREATED, codec.write(json -> {
                        json.writeStartObject();
                        json.writeStringField("room", room.value());
                        json.writeNumberField("seq", message.seq());
                        json.writeBooleanField("duplicate", duplicate);
                        json.writeEndObject();
                    }));
                });
    }

    private void history(HttpServerExchange exchange, RoomName room) {
        OptionalLong after;
        OptionalLong before;
        OptionalLong limit;
        try {
            after = longParameter(exchange, "after");
            before = longParameter(exchange, "before");
            limit = longParameter(exchange, "limit");
        } catch (NumberFormatException e) {
            error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "after, before and limit must be integers");
            return;
        }
        Validated<HistoryQuery> query = HistoryQuery.of(room, after, before, limit, limits);
        if (refused(exchange, query)) {
            return;
        }
        respond(exchange, history.history(new QueryHistoryCommand(Requester.OPERATOR, query.value())),
                outcome -> send(exchange, StatusCodes.OK, codec.write(json -> {
                    json.writeStartObject();
                    Json.writeHistoryFields(json, ((HistoryOutcome.Page) outcome).page());
                    json.writeEndObject();
                })));
    }

    /**
     * Answers once the use case is done: a store that is down is 503, a refusal its status, and
     * any other outcome is {@code answered}'s to send.
     */
    private <T> void respond(HttpServerExchange exchange, CompletableFuture<T> outcome, Consumer<T> answered) {
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> outcome.whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.error("HTTP API request {} failed", exchange.getRequestPath(), failure);
                error(exchange, StatusCodes.INTERNAL_SERVER_ERROR, ErrorCode.INTERNAL.wireName(),
                        "internal error; it has been logged");
            } else if (result instanceof Unavailable unavailable) {
                LOG.warn("HTTP API request {} failed: {}", exchange.getRequestPath(), unavailable.cause());
                error(exchange, StatusCodes.SERVICE_UNAVAILABLE, ErrorCode.UNAVAILABLE.wireName(),
                        "a store the request needs is unavailable; retry later");
            } else if (result instanceof Refused refused) {
                ErrorCode code = ErrorCode.of(refused.reason());
                error(exchange, status(code), code.wireName(), refused.message());
            } else {
                answered.accept(result);
            }
        }));
    }

    private HttpHandler admin(HttpHandler next) {
        return exchange -> {
            if (!authorised(exchange)) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
                error(exchange, StatusCodes.UNAUTHORIZED, "unauthorized",
                        adminKey.isPresent() ? "a valid admin key is required" : "PARLEY_ADMIN_KEY is not set");
                return;
            }
            next.handleRequest(exchange);
        };
    }

    private boolean authorised(HttpServerExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (adminKey.isEmpty() || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, adminKey.get());
    }

    private RoomName room(HttpServerExchange exchange) {
        String raw = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get("room");
        Validated<RoomName> room = Json.parseRoom(raw);
        return refused(exchange, room) ? null : room.value();
    }

    private boolean refused(HttpServerExchange exchange, Validated<?> validated) {
        if (validated instanceof Validated.Invalid<?> invalid) {
            ErrorCode code = ErrorCode.of(invalid.violation());
            error(exchange, status(code), code.wireName(), invalid.message());
            return true;
        }
        return false;
    }

    private static OptionalLong longParameter(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        if (values == null || values.isEmpty() || values.getFirst().isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(values.getFirst()));
    }

    private static int status(ErrorCode code) {
        switch (code) {
            case TOO_LARGE:
                return StatusCodes.REQUEST_ENTITY_TOO_LARGE;
            case FORBIDDEN:
                return StatusCodes.FORBIDDEN;
            case UNAVAILABLE:
                return StatusCodes.SERVICE_UNAVAILABLE;
            case INTERNAL:
                return StatusCodes.INTERNAL_SERVER_ERROR;
            case RATE_LIMITED:
                return StatusCodes.TOO_MANY_REQUESTS;
            default:
                return StatusCodes.BAD_REQUEST;
        }
    }

    public void error(HttpServerExchange exchange, int status, String code, String message) {
        send(exchange, status, codec.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        }));
    }

    private static void send(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.getResponseSender().send(body);
    }
}
