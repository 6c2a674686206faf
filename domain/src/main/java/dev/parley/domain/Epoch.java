package dev.parley.domain;

/**
 * The generation of a room's sequence. Positions from another epoch cannot be replayed
 * (the history was reset, or lived in another process's memory).
 */
public record Epoch(String value) {
    public static final int MAX_LENGTH = 64;

    public Epoch {
        if (!check(value).isValid()) {
            throw new IllegalArgumentException("epoch must be 1 to " + MAX_LENGTH + " characters");
        }
    }

    public static Epoch of(String value) {
        return new Epoch(value);
    }

    public static Validated<Epoch> parse(String value) {
        return check(value).map(Epoch::new);
    }

    private static Validated<String> check(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return Validated.invalid(Violation.MALFORMED, "epoch must be a string of 1 to " + MAX_LENGTH + " characters");
        }
        return Validated.valid(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
