package dev.parley.domain;

/**
 * A client's id for a request: 1 to 64 characters of {@code [A-Za-z0-9_-]}, unique per
 * sender. On {@code chat} it is also the idempotency key of the message.
 */
public record RequestId(String value) {
    public static final int MAX_LENGTH = 64;

    public RequestId {
        if (!check(value).isValid()) {
            throw new IllegalArgumentException("invalid request id: " + value);
        }
    }

    public static RequestId of(String value) {
        return new RequestId(value);
    }

    public static Validated<RequestId> parse(String value) {
        return check(value).map(RequestId::new);
    }

    private static Validated<String> check(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Validated.invalid(Violation.MALFORMED, "id must be 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Identifiers.isWordChar(value.charAt(i))) {
                return Validated.invalid(Violation.MALFORMED, "id may contain only A-Z a-z 0-9 _ -");
            }
        }
        return Validated.valid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
