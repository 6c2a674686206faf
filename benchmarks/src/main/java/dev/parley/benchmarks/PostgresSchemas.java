package dev.parley.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Removes what a benchmark run created in the database. */
final class PostgresSchemas {
    private PostgresSchemas() {
    }

    static void drop(String jdbcUrl, String schema) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl);
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
