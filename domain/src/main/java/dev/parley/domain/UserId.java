package dev.parley.domain;

/** Who a user is, as their token or the dev login says: 1 to 128 visible characters. */
public record UserId(String value) {
    public static final int MAX_LENGTH = 128;

    public UserId {
        if (!check(value).isValid()) {
            throw new IllegalArgumentException("invalid user id: " + value);
        }
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    public static Validated<UserId> parse(String value) {
        return check(value).map(UserId::new);
    }

    private static Validated<String> check(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || !Identifiers.isVisible(value)) {
            return Validated.invalid(Violation.MALFORMED, "user id must be 1 to " + MAX_LENGTH + " visible characters");
        }
        return Validated.valid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
