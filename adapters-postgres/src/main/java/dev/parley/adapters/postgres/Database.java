package dev.parley.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The connection pool and the two ways the store uses a connection: a read in autocommit,
 * and a transaction. Each borrows a connection whose socket times out at the caller's
 * deadline, so a database that stops answering fails the call instead of hanging it.
 */
final class Database implements AutoCloseable {
    /** Shorter socket timeouts fail healthy statements on a busy machine. */
    private static final int MIN_NETWORK_TIMEOUT_MS = 250;
    /** pgjdbc ignores the executor of {@code setNetworkTimeout}; it only sets the socket timeout. */
    private static final Executor DIRECT = Runnable::run;

    /** Work on a borrowed connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * The commit itself failed (typically the connection broke): the transaction may or may
     * not have committed, so it must not be retried as if it surely had not.
     */
    static final class CommitUncertain extends SQLException {
        private static final long serialVersionUID = 1L;

        CommitUncertain(SQLException cause) {
            super("commit failed, outcome unknown: " + cause.getMessage(), cause.getSQLState(), cause);
        }
    }

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Creates the pool; it connects lazily, so this succeeds while PostgreSQL is down. */
    static Database open(PostgresSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setPoolName(settings.applicationName() + "-pool");
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        long connectionTimeout = settings.connectionTimeout().toMillis();
        config.setConnectionTimeout(connectionTimeout);
        config.setValidationTimeout(Math.max(250, connectionTimeout / 2));
        config.setInitializationFailTimeout(-1);
        config.setSchema(settings.schema());
        // Server-side bounds: a statement never outlives the caller's budget, and a session that
        // sits in a transaction (a frozen or cut-off node holding a room's row lock) is ended.
        config.setConnectionInitSql("SELECT set_config('statement_timeout', '"
                + settings.operationTimeout().toMillis() + "', false), "
                + "set_config('idle_in_transaction_session_timeout', '10000', false)");
        config.addDataSourceProperty("ApplicationName", settings.applicationName());
        config.addDataSourceProperty("connectTimeout", String.valueOf(seconds(connectionTimeout)));
        config.addDataSourceProperty("loginTimeout", String.valueOf(seconds(connectionTimeout)));
        // A last resort only: every borrowed connection gets its caller's deadline instead.
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return new Database(new HikariDataSource(config));
    }

    /** Runs {@code work} in autocommit mode. */
    <T> T read(long deadlineNanos, Work<T> work) throws SQLException {
        try (Connection connection = borrow(deadlineNanos)) {
            return work.run(connection);
        }
    }

    /**
     * Runs {@code work} in one transaction and commits it. A failure inside {@code work} rolls
     * back (nothing was stored); a failure of the commit is a {@link CommitUncertain}.
     */
    <T> T transaction(long deadlineNanos, Work<T> work) throws SQLException {
        try (Connection connection = borrow(deadlineNanos)) {
            connection.setAutoCommit(false);
            T result;
            try {
                result = work.run(connection);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new CommitUncertain(e);
            }
            return result;
        }
    }

    private Connection borrow(long deadlineNanos) throws SQLException {
        if (millisUntil(deadlineNanos) <= 0) {
            throw new SQLTimeoutException("the call's time ran out before it reached the database");
        }
        Connection connection = pool.getConnection();
        try {
            connection.setNetworkTimeout(DIRECT, (int) Math.max(MIN_NETWORK_TIMEOUT_MS, millisUntil(deadlineNanos)));
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * After one pooled connection turned out broken, the others likely are too (the server
     * restarted, or an administrator ended the sessions): retire them all, so the next borrow
     * opens a fresh connection instead of finding the next dead one.
     */
    void retireConnections() {
        if (pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    static long millisUntil(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    @Override
    public void close() {
        pool.close();
    }
}
