package dev.parley.adapters.postgres;

import dev.parley.testsupport.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/**
 * The PostgreSQL the tests run against, found by {@link TestServices} (the variable, the local
 * default, Docker; else failed on CI and skipped loudly elsewhere: docs/architecture.md, "Tests").
 * Each test class works in a schema of its own and drops it at the end.
 */
final class TestDatabase {
    private TestDatabase() {
    }

    /** The database URL, or a failed (CI) or skipped (elsewhere) test. */
    static String url() {
        return TestServices.postgresUrl();
    }

    /** A schema name no other test class or run uses. */
    static String uniqueSchema(String label) {
        return "parley_test_" + label + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Settings for tests: their own schema and application name, a small pool, no retention. */
    static PostgresSettings settings(String url, String schema) {
        return PostgresSettings.defaults(url)
                .withSchema(schema)
                .withApplicationName(schema)
                .withPool(4, 2)
                .withRetention(java.util.OptionalLong.empty(), java.util.Optional.empty(), Duration.ofMinutes(1));
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    static void dropSchema(String schema) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement drop = connection.prepareStatement("DROP SCHEMA IF EXISTS " + schema + " CASCADE")) {
            drop.execute();
        }
    }

    /** Ends every session of {@code applicationName} (the pool's connections) as an administrator would. */
    static int terminateSessions(String applicationName) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement terminate = connection.prepareStatement(
                     "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                             + "WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            terminate.setString(1, applicationName);
            try (ResultSet row = terminate.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** The single long a query answers. */
    static long queryLong(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    static boolean queryBoolean(String sql, Object... parameters) throws SQLException {
        try (Connection connection = connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }
}
