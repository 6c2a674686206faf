package dev.parley.domain;

/**
 * The configurable limits of docs/protocol.md section 7, in one value so that no rule keeps its
 * own copy of a number.
 */
public record Limits(
        int maxTextCodePoints,
        int maxDataBytes,
        int maxDataDepth,
        int maxRoomsPerConnection,
        int maxConnectionsPerUser,
        int maxMembersPerRoom,
        int defaultHistoryLimit,
        int maxHistoryLimit) {

    public static final Limits DEFAULTS = new Limits(4000, 8 * 1024, 16, 100, 10, 10_000, 50, 100);

    public Limits {
        requirePositive(maxTextCodePoints, "maxTextCodePoints");
        requirePositive(maxDataBytes, "maxDataBytes");
        requirePositive(maxDataDepth, "maxDataDepth");
        requirePositive(maxRoomsPerConnection, "maxRoomsPerConnection");
        requirePositive(maxConnectionsPerUser, "maxConnectionsPerUser");
        requirePositive(maxMembersPerRoom, "maxMembersPerRoom");
        requirePositive(defaultHistoryLimit, "defaultHistoryLimit");
        requirePositive(maxHistoryLimit, "maxHistoryLimit");
        if (defaultHistoryLimit > maxHistoryLimit) {
            throw new IllegalArgumentException("defaultHistoryLimit must not exceed maxHistoryLimit");
        }
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }
}
