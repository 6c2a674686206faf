package dev.parley.adapters.websocket.http;

import dev.parley.adapters.websocket.frames.ErrorCode;
import dev.parley.adapters.websocket.frames.Json;
import dev.parley.application.port.in.Refused;
import dev.parley.application.port.in.Unavailable;
import dev.parley.domain.RoomName;
import dev.parley.domain.Validated;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Deque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every handler of the HTTP API shares (docs/protocol.md section 10): the admin key, the
 * JSON answers, and errors as {@code {"error": code, "message": ...}} with the matching status.
 */
final class ApiAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ApiAnswers.class);
    private static final String JSON = "application/json";

    private final Json codec;
    private final Optional<byte[]> adminKey;

    ApiAnswers(Json codec, Optional<String> adminKey) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.adminKey = adminKey.map(key -> key.getBytes(StandardCharsets.UTF_8));
    }

    Json codec() {
        return codec;
    }

    /** {@code next} for requests with the admin key as bearer; 401 for the others. */
    HttpHandler admin(HttpHandler next) {
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

    /**
     * Answers once the use case is done: a store that is down is 503, a refusal its status, and
     * any other outcome is {@code answered}'s to send.
     */
    <T> void respond(HttpServerExchange exchange, CompletableFuture<T> outcome, Consumer<T> answered) {
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

    /** The path's {@code {name}} parsed, or null once a 4xx has been sent. */
    <T> T pathParameter(HttpServerExchange exchange, String name, Function<String, Validated<T>> parser) {
        String raw = exchange.getAttachment(PathTemplateMatch.ATTACHMENT_KEY).getParameters().get(name);
        Validated<T> parsed = parser.apply(raw);
        return refused(exchange, parsed) ? null : parsed.value();
    }

    /** A room of the path, as {@code /ws} names them. */
    RoomName room(HttpServerExchange exchange) {
        return pathParameter(exchange, "room", Json::parseRoom);
    }

    /** True, with a 4xx sent, when {@code validated} is invalid. */
    boolean refused(HttpServerExchange exchange, Validated<?> validated) {
        if (validated instanceof Validated.Invalid<?> invalid) {
            ErrorCode code = ErrorCode.of(invalid.violation());
            error(exchange, status(code), code.wireName(), invalid.message());
            return true;
        }
        return false;
    }

    /** A query parameter's first value; empty when it is missing or empty. */
    static Optional<String> parameter(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() || values.getFirst().isEmpty()
                ? Optional.empty() : Optional.of(values.getFirst());
    }

    static int status(ErrorCode code) {
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

    void badRequest(HttpServerExchange exchange, String message) {
        error(exchange, StatusCodes.BAD_REQUEST, "bad_request", message);
    }

    void error(HttpServerExchange exchange, int status, String code, String message) {
        send(exchange, status, codec.write(json -> {
            json.writeStartObject();
            json.writeStringField("error", code);
            json.writeStringField("message", message);
            json.writeEndObject();
        }));
    }

    /** A JSON body written by {@code body}. */
    void send(HttpServerExchange exchange, int status, Json.JsonWriter body) {
        send(exchange, status, codec.write(body));
    }

    static void send(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
        exchange.getResponseSender().send(body);
    }
}
