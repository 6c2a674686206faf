package dev.parley.adapters.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * How the PostgreSQL history store connects, batches, times out and prunes. Start from
 * {@link #defaults(String)} and change what differs with the {@code with...} methods.
 *
 * @param jdbcUrl            pgjdbc URL, credentials included ({@code ?user=...&password=...})
 * @param schema             the schema the store's tables live in (created by the migration)
 * @param applicationName    {@code application_name} of the store's connections (visible in {@code pg_stat_activity})
 * @param poolSize           most connections the pool opens
 * @param readThreads        threads that serve {@code streamState}, {@code range} and {@code history}
 * @param writers            group-commit writers, each with its own thread and connection, over disjoint sets of rooms
 * @param connectionTimeout  longest wait for a pooled connection (HikariCP {@code connectionTimeout})
 * @param operationTimeout   longest time any one call may take, queueing included, before its future fails
 * @param maxBatchSize       most appends one group-commit transaction holds
 * @param maxBatchWait       how long the first append of a batch waits for others to join it
 * @param maxQueued          appends or reads waiting beyond this are refused at once (overload)
 * @param retainMessages     per room, how many of the newest messages are kept (empty: all)
 * @param retainFor          per room, how old a kept message may be (empty: any age)
 * @param pruneInterval      how often the background task prunes what retention no longer keeps
 * @param healthInterval     how often a {@code SELECT 1} checks the database (and retries the migration)
 */
public record PostgresSettings(
        String jdbcUrl,
        String schema,
        String applicationName,
        int poolSize,
        int readThreads,
        int writers,
        Duration connectionTimeout,
        Duration operationTimeout,
        int maxBatchSize,
        Duration maxBatchWait,
        int maxQueued,
        OptionalLong retainMessages,
        Optional<Duration> retainFor,
        Duration pruneInterval,
        Duration healthInterval) {

    /** Most writers a store runs: each holds a connection, and PostgreSQL's default allows 100 in all. */
    public static final int MAX_WRITERS = 32;
    /** Writers by default; see docs/benchmarks.md, "Durable appends at many rooms (issue 14)". */
    public static final int DEFAULT_WRITERS = 2;

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(applicationName, "applicationName");
        Objects.requireNonNull(retainMessages, "retainMessages");
        Objects.requireNonNull(retainFor, "retainFor");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db?user=...)");
        }
        if (!IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier: " + schema);
        }
        if (poolSize < 2 || readThreads < 1) {
            throw new IllegalArgumentException("poolSize must be at least 2 and readThreads at least 1");
        }
        if (writers < 1 || writers > MAX_WRITERS) {
            throw new IllegalArgumentException("writers must be between 1 and " + MAX_WRITERS + ", not " + writers);
        }
        if (poolSize <= writers) {
            throw new IllegalArgumentException("poolSize (" + poolSize + ") must be larger than writers (" + writers
                    + "): each writer holds a connection while it commits, and reads need one too");
        }
        if (connectionTimeout.toMillis() < 250 || operationTimeout.compareTo(connectionTimeout) <= 0) {
            throw new IllegalArgumentException(
                    "connectionTimeout must be at least 250 ms and operationTimeout longer than it");
        }
        if (maxBatchSize < 1 || maxBatchWait.isNegative() || maxQueued < 1) {
            throw new IllegalArgumentException("maxBatchSize and maxQueued must be positive, maxBatchWait not negative");
        }
        if (retainMessages.isPresent() && retainMessages.getAsLong() < 1) {
            throw new IllegalArgumentException("retainMessages must be at least 1");
        }
        if (retainFor.isPresent() && (retainFor.get().isNegative() || retainFor.get().isZero())) {
            throw new IllegalArgumentException("retainFor must be positive");
        }
        if (pruneInterval.isNegative() || pruneInterval.isZero() || healthInterval.isNegative()
                || healthInterval.isZero()) {
            throw new IllegalArgumentException("pruneInterval and healthInterval must be positive");
        }
    }

    /**
     * Production defaults: schema {@code parley}, {@value #DEFAULT_WRITERS} writers, 4 reader threads,
     * 8 connections, 1 s to get a connection, 2 s per call, batches of up to 256 appends gathered for
     * up to 2 ms, the newest 10,000 messages of every room kept at any age, pruned every minute,
     * health checked every second.
     */
    public static PostgresSettings defaults(String jdbcUrl) {
        return new PostgresSettings(jdbcUrl, "parley", "parley", poolFor(4, DEFAULT_WRITERS), 4, DEFAULT_WRITERS,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 256, Duration.ofMillis(2), 50_000,
                OptionalLong.of(10_000), Optional.empty(), Duration.ofMinutes(1), Duration.ofSeconds(1));
    }

    /** Connections enough for every reader and writer at once, and two for the health probe and retention. */
    private static int poolFor(int readThreads, int writers) {
        return readThreads + writers + 2;
    }

    public PostgresSettings withSchema(String schema) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    public PostgresSettings withApplicationName(String applicationName) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    public PostgresSettings withPool(int poolSize, int readThreads) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    /**
     * {@code writers} group-commit writers; the pool grows to fit them if it has fewer than
     * {@code readThreads + writers + 2} connections (it never shrinks here; {@link #withPool} sets it).
     */
    public PostgresSettings withWriters(int writers) {
        int pool = writers >= 1 ? Math.max(poolSize, poolFor(readThreads, writers)) : poolSize;
        return new PostgresSettings(jdbcUrl, schema, applicationName, pool, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    public PostgresSettings withTimeouts(Duration connectionTimeout, Duration operationTimeout) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    public PostgresSettings withBatching(int maxBatchSize, Duration maxBatchWait) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    /** Retention per room: the newest {@code messages} (empty: all) no older than {@code age} (empty: any). */
    public PostgresSettings withRetention(OptionalLong messages, Optional<Duration> age, Duration pruneInterval) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, messages, age,
                pruneInterval, healthInterval);
    }

    public PostgresSettings withHealthInterval(Duration healthInterval) {
        return new PostgresSettings(jdbcUrl, schema, applicationName, poolSize, readThreads, writers,
                connectionTimeout, operationTimeout, maxBatchSize, maxBatchWait, maxQueued, retainMessages, retainFor,
                pruneInterval, healthInterval);
    }

    boolean retains() {
        return retainMessages.isPresent() || retainFor.isPresent();
    }

    /** The URL without credentials, for log lines. */
    String redactedUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
