package dev.parley.adapters.postgres;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.HistoryPage;
import dev.parley.domain.HistoryQuery;
import dev.parley.domain.RoomName;
import dev.parley.domain.RoomStreamState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The read statements, one round trip each. A single statement sees one snapshot, and appends
 * and pruning change {@code rooms} and {@code messages} in the same transaction, so what one
 * statement reads of a room's bounds and its messages always agrees: every seq in
 * {@code oldest_seq..last_seq} is there.
 */
final class HistoryReads {
    private static final String STREAM_STATE = "SELECT epoch, last_seq, oldest_seq FROM rooms WHERE name = ?";

    private static final String RANGE = "SELECT " + MessageRows.COLUMNS + " FROM messages m "
            + "WHERE m.room = ? AND m.seq > ? AND m.seq <= ? ORDER BY m.seq";

    /** The room's bounds and up to {@code limit} messages read from one end of (after, before). */
    private static final String PAGE = "SELECT r.last_seq, r.oldest_seq, p.* FROM rooms r LEFT JOIN LATERAL ("
            + "SELECT " + MessageRows.COLUMNS + " FROM messages m "
            + "WHERE m.room = r.name AND m.seq > ? AND m.seq < ? ORDER BY m.seq %s LIMIT ?) p ON true "
            + "WHERE r.name = ?";
    private static final String PAGE_UP = String.format(PAGE, "ASC");
    private static final String PAGE_DOWN = String.format(PAGE, "DESC");

    private HistoryReads() {
    }

    static RoomStreamState streamState(Connection connection, RoomName room, Epoch storeEpoch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(STREAM_STATE)) {
            statement.setString(1, room.value());
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return RoomStreamState.empty(storeEpoch);
                }
                return new RoomStreamState(Epoch.of(row.getString("epoch")), row.getLong("last_seq"),
                        row.getLong("oldest_seq"));
            }
        }
    }

    static List<ChatMessage> range(Connection connection, RoomName room, long afterSeq, long throughSeq)
            throws SQLException {
        if (throughSeq <= afterSeq) {
            return List.of();
        }
        List<ChatMessage> messages = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(RANGE)) {
            statement.setString(1, room.value());
            statement.setLong(2, afterSeq);
            statement.setLong(3, throughSeq);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    messages.add(MessageRows.read(rows));
                }
            }
        }
        return messages;
    }

    /**
     * Reads the messages nearest the end the query reads from, then keeps those of
     * {@link HistoryQuery#pageWithin} for the bounds read in the same snapshot: both are the
     * same seqs, as the retained seqs have no holes.
     */
    static HistoryPage history(Connection connection, HistoryQuery query) throws SQLException {
        long after = query.after().orElse(0);
        long before = query.before().orElse(Long.MAX_VALUE);
        List<ChatMessage> read = new ArrayList<>();
        long latest = 0;
        long oldest = 1;
        try (PreparedStatement statement = connection.prepareStatement(query.ascending() ? PAGE_UP : PAGE_DOWN)) {
            statement.setLong(1, after);
            statement.setLong(2, before);
            statement.setInt(3, query.limit());
            statement.setString(4, query.room().value());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    latest = rows.getLong("last_seq");
                    oldest = rows.getLong("oldest_seq");
                    rows.getLong("seq");
                    if (!rows.wasNull()) {
                        read.add(MessageRows.read(rows));
                    }
                }
            }
        }
        HistoryQuery.Page page = query.pageWithin(oldest, latest);
        List<ChatMessage> messages = new ArrayList<>(read.size());
        for (ChatMessage message : read) {
            if (message.seq() >= page.from() && message.seq() <= page.to()) {
                messages.add(message);
            }
        }
        if (!query.ascending()) {
            Collections.reverse(messages);
        }
        return new HistoryPage(query.room(), messages, page.hasMore());
    }
}
