package dev.parley.adapters.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what retention no longer keeps, in the background. Per room it computes the new
 * oldest retained seq (the newest {@code retainMessages}, none older than {@code retainFor}),
 * then deletes below it in chunks, raising {@code rooms.oldest_seq} in the same transaction as
 * each delete. It always deletes a prefix of the room's seqs, so the retained seqs never have a
 * hole. Several nodes may prune at once: both statements are idempotent.
 */
final class RetentionPruner {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPruner.class);
    /** Rows deleted per transaction: short row locks, bounded statement time. */
    static final int CHUNK = 5_000;
    private static final int ROOMS_PER_ROUND = 1_000;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);

    private final Database database;
    private final PostgresSettings settings;
    private final Clock clock;

    RetentionPruner(Database database, PostgresSettings settings, Clock clock) {
        this.database = database;
        this.settings = settings;
        this.clock = clock;
    }

    private record Candidate(String room, long latest, long oldest) {
    }

    /** One round over the rooms that hold more than retention keeps; answers the messages deleted. */
    long pruneOnce() throws SQLException {
        if (!settings.retains()) {
            return 0;
        }
        OffsetDateTime cutoff = settings.retainFor()
                .map(age -> OffsetDateTime.ofInstant(clock.instant().minus(age), ZoneOffset.UTC)).orElse(null);
        long deleted = 0;
        for (Candidate candidate : candidates(cutoff)) {
            deleted += prune(candidate, cutoff);
        }
        if (deleted > 0) {
            LOG.debug("retention pruned {} messages", deleted);
        }
        return deleted;
    }

    private List<Candidate> candidates(OffsetDateTime cutoff) throws SQLException {
        List<String> conditions = new ArrayList<>();
        if (settings.retainMessages().isPresent()) {
            conditions.add("r.last_seq - r.oldest_seq + 1 > ?");
        }
        if (cutoff != null) {
            conditions.add("EXISTS (SELECT 1 FROM messages m WHERE m.room = r.name AND m.seq = r.oldest_seq "
                    + "AND m.sent_at < ?)");
        }
        String sql = "SELECT r.name, r.last_seq, r.oldest_seq FROM rooms r WHERE r.oldest_seq <= r.last_seq AND ("
                + String.join(" OR ", conditions) + ") LIMIT " + ROOMS_PER_ROUND;
        return database.read(deadline(), connection -> {
            List<Candidate> candidates = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int parameter = 1;
                if (settings.retainMessages().isPresent()) {
                    statement.setLong(parameter++, settings.retainMessages().getAsLong());
                }
                if (cutoff != null) {
                    statement.setObject(parameter, cutoff);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        candidates.add(new Candidate(rows.getString(1), rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
            return candidates;
        });
    }

    private long prune(Candidate candidate, OffsetDateTime cutoff) throws SQLException {
        long keepFrom = candidate.oldest();
        if (settings.retainMessages().isPresent()) {
            keepFrom = Math.max(keepFrom, candidate.latest() - settings.retainMessages().getAsLong() + 1);
        }
        keepFrom = Math.min(keepFrom, candidate.latest() + 1);
        if (cutoff != null) {
            keepFrom = firstNotOlderThan(candidate, keepFrom, cutoff);
        }
        long deleted = 0;
        for (long from = candidate.oldest(); from < keepFrom; ) {
            long until = Math.min(keepFrom, from + CHUNK);
            deleted += deleteBelow(candidate.room(), until);
            from = until;
        }
        return deleted;
    }

    /**
     * The seq of the room's first message from {@code fromSeq} on stored at or after {@code cutoff}
     * (every one before it is older), or one past the latest if there is none. It walks the
     * primary key {@code (room, seq)} upwards, {@link #CHUNK} seqs per statement, so it reads the
     * messages it finds older (which retention then deletes) and one more: no index on
     * {@code sent_at} is needed (migration V3 dropped it). {@code sent_at} grows with seq within a
     * room (it is read under the room's row lock); should the database's clock ever step back,
     * the walk stops at the first newer message and retention only keeps a little more.
     */
    private long firstNotOlderThan(Candidate candidate, long fromSeq, OffsetDateTime cutoff) throws SQLException {
        for (long from = fromSeq; from <= candidate.latest(); from += CHUNK) {
            long chunkStart = from;
            long found = database.read(deadline(), connection -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT seq FROM messages "
                        + "WHERE room = ? AND seq >= ? AND seq < ? AND sent_at >= ? ORDER BY seq LIMIT 1")) {
                    statement.setString(1, candidate.room());
                    statement.setLong(2, chunkStart);
                    statement.setLong(3, chunkStart + CHUNK);
                    statement.setObject(4, cutoff);
                    try (ResultSet row = statement.executeQuery()) {
                        return row.next() ? row.getLong(1) : 0;
                    }
                }
            });
            if (found > 0) {
                return found;
            }
        }
        return Math.max(fromSeq, candidate.latest() + 1);
    }

    private long deleteBelow(String room, long keepFrom) throws SQLException {
        return database.transaction(deadline(), connection -> {
            setLocalStatementTimeout(connection);
            int deleted;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM messages WHERE room = ? AND seq < ?")) {
                delete.setString(1, room);
                delete.setLong(2, keepFrom);
                deleted = delete.executeUpdate();
            }
            try (PreparedStatement raise = connection.prepareStatement(
                    "UPDATE rooms SET oldest_seq = greatest(oldest_seq, ?) WHERE name = ?")) {
                raise.setLong(1, keepFrom);
                raise.setString(2, room);
                raise.executeUpdate();
            }
            return (long) deleted;
        });
    }

    private static void setLocalStatementTimeout(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT set_config('statement_timeout', ?, true)")) {
            statement.setString(1, String.valueOf(STATEMENT_TIMEOUT.toMillis()));
            statement.execute();
        }
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(STATEMENT_TIMEOUT.toSeconds() + 5);
    }
}
