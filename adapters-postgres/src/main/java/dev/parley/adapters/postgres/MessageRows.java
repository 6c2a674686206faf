package dev.parley.adapters.postgres;

import dev.parley.domain.ChatMessage;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageText;
import dev.parley.domain.RequestId;
import dev.parley.domain.RoomName;
import dev.parley.domain.User;
import dev.parley.domain.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The columns of a stored message and their mapping to {@link ChatMessage}. */
final class MessageRows {
    /**
     * The select list of a message row of table alias {@code m}. {@code sent_at} is stored at
     * millisecond precision, so its epoch milliseconds are exact.
     */
    static final String COLUMNS = "m.room, m.seq, m.client_id, m.sender_id, m.sender_name, m.text, m.data_text, "
            + "(extract(epoch FROM m.sent_at) * 1000)::bigint AS sent_ms";

    private MessageRows() {
    }

    /** The message in the current row; {@code seq} null (an outer join without a match) is a bug of the caller. */
    static ChatMessage read(ResultSet row) throws SQLException {
        String data = row.getString("data_text");
        return new ChatMessage(
                RoomName.of(row.getString("room")),
                row.getLong("seq"),
                RequestId.of(row.getString("client_id")),
                new User(UserId.of(row.getString("sender_id")), row.getString("sender_name")),
                new MessageText(row.getString("text")),
                data == null ? Optional.empty() : Optional.of(new MessageData(data)),
                row.getLong("sent_ms"));
    }
}
