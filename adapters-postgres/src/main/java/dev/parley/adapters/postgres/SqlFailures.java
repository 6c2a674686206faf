package dev.parley.adapters.postgres;

import dev.parley.application.port.out.StoreUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import org.postgresql.util.PSQLException;

/** What a failed statement means for the caller: retry, database unreachable, or neither. */
final class SqlFailures {
    /** The idempotency key's unique constraint (V1__history.sql). */
    static final String IDEMPOTENCY_KEY = "messages_idempotency_key";

    /** Admin or crash shutdown, cannot connect now, too many connections, out of memory or disk. */
    private static final Set<String> SERVER_GONE = Set.of("57P01", "57P02", "57P03", "53000", "53100", "53200", "53300");

    private SqlFailures() {
    }

    /**
     * The database could not be reached or dropped the connection: the pool times out, the
     * socket fails or times out, or the server shuts the session down.
     */
    static boolean isConnectivity(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("08") || SERVER_GONE.contains(state))) {
                    return true;
                }
            }
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * A conflict another transaction caused, gone on a second try: a deadlock, a serialization
     * failure, or another node storing the same idempotency key between our check and our insert.
     */
    static boolean isConflict(SQLException failure) {
        String state = failure.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) {
            return true;
        }
        if ("23505".equals(state) && failure instanceof PSQLException) {
            PSQLException psql = (PSQLException) failure;
            return psql.getServerErrorMessage() != null
                    && IDEMPOTENCY_KEY.equals(psql.getServerErrorMessage().getConstraint());
        }
        return false;
    }

    /** Statement timeout or cancel: the database is up but did not answer in time. */
    static boolean isTimeout(Throwable failure) {
        return failure instanceof SQLException && "57014".equals(((SQLException) failure).getSQLState());
    }

    static StoreUnavailableException unavailable(String what, Throwable cause) {
        if (cause instanceof StoreUnavailableException) {
            return (StoreUnavailableException) cause;
        }
        String detail = cause == null ? "" : ": " + cause.getMessage();
        return new StoreUnavailableException("PostgreSQL history unavailable (" + what + ")" + detail, cause);
    }
}
