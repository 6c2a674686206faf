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
import dev.parley.application.port.in.Requester;
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
import io.undertow.util.StatusCodes;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.Objects;
import dev.parley.adapters.websocket.frames.Json;

/**
 * The HTTP side of the server (docs/protocol.md section 10): health, metrics and the operator API.
 * Errors are JSON {@code {"error": code, "message": ...}} with the matching status.
 */
public final class HttpApi {

    private final PublishServerMessageUseCase publish;
    private final QueryHistoryUseCase history;
    private final QueryPresenceUseCase presence;
    private final Json codec;
    private final Limits limits;
    private final ApiAnswers answers;
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
        this.answers = new ApiAnswers(codec, adminKey);
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
        return answers.admin(exchange -> {
            RoomName room = answers.room(exchange);
            if (room == null) {
                return;
            }
            if (exchange.getRequestMethod().equals(Methods.POST)) {
                exchange.getRequestReceiver().receiveFullBytes((ex, body) -> publish(ex, room, body),
                        (ex, failure) -> answers.error(ex, StatusCodes.BAD_REQUEST, "bad_request", "cannot read body"));
            } else if (exchange.getRequestMethod().equals(Methods.GET)) {
                history(exchange, room);
            } else {
                answers.error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET or POST");
            }
        });
    }

    public HttpHandler presence() {
        return answers.admin(exchange -> {
            RoomName room = answers.room(exchange);
            if (room == null) {
                return;
            }
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                answers.error(exchange, StatusCodes.METHOD_NOT_ALLOWED, "method_not_allowed", "use GET");
                return;
            }
            answers.respond(exchange, presence.presence(new QueryPresenceCommand(Requester.OPERATOR, room)),
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
            answers.error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "body is not valid JSON");
            return;
        }
        if (request == null || !request.isObject()) {
            answers.error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "body must be a JSON object");
            return;
        }
        JsonNode textNode = request.get("text");
        if (textNode == null || !textNode.isTextual()) {
            answers.error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "text must be a string");
            return;
        }
        Validated<MessageText> text = MessageText.sanitize(textNode.textValue(), limits);
        if (answers.refused(exchange, text)) {
            return;
        }
        Optional<MessageData> data;
        try {
            data = codec.data(request);
        } catch (Json.BadField e) {
            answers.error(exchange, ApiAnswers.status(e.code()), e.code().wireName(), e.getMessage());
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
        if (answers.refused(exchange, id)) {
            return;
        }
        answers.respond(exchange, publish.publish(new PublishServerMessageCommand(room, id.value(), text.value(), data)),
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
            answers.error(exchange, StatusCodes.BAD_REQUEST, "bad_request", "after, before and limit must be integers");
            return;
        }
        Validated<HistoryQuery> query = HistoryQuery.of(room, after, before, limit, limits);
        if (answers.refused(exchange, query)) {
            return;
        }
        answers.respond(exchange, history.history(new QueryHistoryCommand(Requester.OPERATOR, query.value())),
                outcome -> send(exchange, StatusCodes.OK, codec.write(json -> {
                    json.writeStartObject();
                    Json.writeHistoryFields(json, ((HistoryOutcome.Page) outcome).page());
                    json.writeEndObject();
                })));
    }

    private static OptionalLong longParameter(HttpServerExchange exchange, String name) {
        Optional<String> value = ApiAnswers.parameter(exchange, name);
        return value.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.get()));
    }

    /** A JSON error, for handlers outside this class. */
    public void error(HttpServerExchange exchange, int status, String code, String message) {
        answers.error(exchange, status, code, message);
    }

    private static void send(HttpServerExchange exchange, int status, String body) {
        ApiAnswers.send(exchange, status, body);
    }
}
