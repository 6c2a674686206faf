package dev.parley.adapters.postgres;

import dev.parley.application.port.out.AppendOutcome;
import dev.parley.domain.ChatMessage;
import dev.parley.domain.Epoch;
import dev.parley.domain.MessageData;
import dev.parley.domain.MessageDraft;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statements of one group commit, run inside the caller's transaction: four round trips
 * whatever the number of messages and rooms.
 * <ol>
 *   <li>Find the messages stored before under the batch's idempotency keys.</li>
 *   <li>Allocate seqs: one {@code INSERT ... ON CONFLICT DO UPDATE} on {@code rooms} creates
 *       missing rooms and raises each room's {@code last_seq} by its count of new messages,
 *       locking the room rows in name order until commit. Its {@code RETURNING} gives the new
 *       {@code last_seq} and the time of storing, read once the row is locked.</li>
 *   <li>Insert the new messages with their seqs.</li>
 *   <li>Commit (by the caller).</li>
 * </ol>
 * Another node appending to the same room waits on the row lock and then continues from the
 * committed {@code last_seq}; a rolled-back transaction gives its seqs back with it. So seqs
 * are gap-free per room whatever the number of nodes. If another node stores one of the same
 * keys between steps 1 and 3, the insert violates {@code messages_idempotency_key}, the whole
 * transaction rolls back, and the retry finds the key in step 1.
 */
final class AppendTransaction {
    /**
     * One index probe of {@code messages_idempotency_key} per key: a plain join of the keys with
     * {@code messages} lets the planner, which cannot see how many keys the arrays hold, pick a
     * hash or merge join that reads far more of the table than the keys need.
     */
    private static final String FIND_STORED = "SELECT " + MessageRows.COLUMNS
            + " FROM unnest(?::text[], ?::text[], ?::text[]) AS k(room, sender_id, client_id) "
            + "CROSS JOIN LATERAL (SELECT * FROM messages s WHERE s.room = k.room AND s.sender_id = k.sender_id "
            + "AND s.client_id = k.client_id LIMIT 1) m";

    private static final String ALLOCATE = "INSERT INTO rooms AS r (name, epoch, last_seq) "
            + "SELECT a.name, ?, a.count FROM unnest(?::text[], ?::bigint[]) AS a(name, count) ORDER BY a.name "
            + "ON CONFLICT (name) DO UPDATE SET last_seq = r.last_seq + EXCLUDED.last_seq "
            + "RETURNING r.name, r.last_seq, "
            + "(extract(epoch FROM date_trunc('milliseconds', clock_timestamp())) * 1000)::bigint AS now_ms";

    private static final String INSERT = "INSERT INTO messages "
            + "(room, seq, client_id, sender_id, sender_name, text, data_text, sent_at) "
            + "SELECT room, seq, client_id, sender_id, sender_name, text, data_text, "
            + "timestamptz 'epoch' + sent_ms * interval '1 millisecond' "
            + "FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) "
            + "AS u(room, seq, client_id, sender_id, sender_name, text, data_text, sent_ms)";

    private AppendTransaction() {
    }

    /** The idempotency key of a message: the same sender's same id in the same room. */
    private record Key(String room, String sender, String id) {
        static Key of(MessageDraft draft) {
            return new Key(draft.room().value(), draft.from().id().value(), draft.id().value());
        }

        static Key of(ChatMessage message) {
            return new Key(message.room().value(), message.from().id().value(), message.id().value());
        }
    }

    /** Stores {@code drafts} and answers one outcome per draft, in order. */
    static List<AppendOutcome> run(Connection connection, List<MessageDraft> drafts, Epoch newRoomEpoch)
            throws SQLException {
        Map<Key, ChatMessage> earlier = findStored(connection, drafts);

        // The first draft of each key not stored before is new; the others repeat a message.
        Map<Key, Integer> firstIndex = new HashMap<>();
        List<Integer> fresh = new ArrayList<>();
        TreeMap<String, Long> newPerRoom = new TreeMap<>();
        for (int i = 0; i < drafts.size(); i++) {
            Key key = Key.of(drafts.get(i));
            if (!earlier.containsKey(key) && firstIndex.putIfAbsent(key, i) == null) {
                fresh.add(i);
                newPerRoom.merge(key.room(), 1L, Long::sum);
            }
        }

        ChatMessage[] stored = new ChatMessage[drafts.size()];
        if (!fresh.isEmpty()) {
            Map<String, long[]> allocated = allocate(connection, newPerRoom, newRoomEpoch);
            for (int i : fresh) {
                MessageDraft draft = drafts.get(i);
                long[] next = allocated.get(draft.room().value());
                stored[i] = draft.stored(next[0]++, next[1]);
            }
            insert(connection, fresh, stored);
        }

        List<AppendOutcome> outcomes = new ArrayList<>(drafts.size());
        for (int i = 0; i < drafts.size(); i++) {
            Key key = Key.of(drafts.get(i));
            if (stored[i] != null) {
                outcomes.add(new AppendOutcome.Stored(stored[i]));
            } else if (earlier.containsKey(key)) {
                outcomes.add(new AppendOutcome.Duplicate(earlier.get(key)));
            } else {
                outcomes.add(new AppendOutcome.Duplicate(stored[firstIndex.get(key)]));
            }
        }
        return outcomes;
    }

    private static Map<Key, ChatMessage> findStored(Connection connection, List<MessageDraft> drafts)
            throws SQLException {
        LinkedHashMap<Key, Boolean> keys = new LinkedHashMap<>();
        for (MessageDraft draft : drafts) {
            keys.put(Key.of(draft), Boolean.TRUE);
        }
        String[] rooms = new String[keys.size()];
        String[] senders = new String[keys.size()];
        String[] ids = new String[keys.size()];
        int n = 0;
        for (Key key : keys.keySet()) {
            rooms[n] = key.room();
            senders[n] = key.sender();
            ids[n++] = key.id();
        }
        Map<Key, ChatMessage> found = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(FIND_STORED)) {
            statement.setArray(1, connection.createArrayOf("text", rooms));
            statement.setArray(2, connection.createArrayOf("text", senders));
            statement.setArray(3, connection.createArrayOf("text", ids));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ChatMessage message = MessageRows.read(rows);
                    found.put(Key.of(message), message);
                }
            }
        }
        return found;
    }

    /** Per room: {next seq to hand out, time of storing in epoch ms}. */
    private static Map<String, long[]> allocate(Connection connection, TreeMap<String, Long> newPerRoom,
                                                Epoch newRoomEpoch) throws SQLException {
        String[] names = newPerRoom.keySet().toArray(new String[0]);
        Long[] counts = newPerRoom.values().toArray(new Long[0]);
        Map<String, long[]> allocated = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(ALLOCATE)) {
            statement.setString(1, newRoomEpoch.value());
            statement.setArray(2, connection.createArrayOf("text", names));
            statement.setArray(3, connection.createArrayOf("bigint", counts));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String room = rows.getString("name");
                    long last = rows.getLong("last_seq");
                    allocated.put(room, new long[] {last - newPerRoom.get(room) + 1, rows.getLong("now_ms")});
                }
            }
        }
        if (allocated.size() != newPerRoom.size()) {
            throw new SQLException("seq allocation answered " + allocated.size() + " of " + newPerRoom.size() + " rooms");
        }
        return allocated;
    }

    private static void insert(Connection connection, List<Integer> fresh, ChatMessage[] stored) throws SQLException {
        int size = fresh.size();
        String[] rooms = new String[size];
        Long[] seqs = new Long[size];
        String[] ids = new String[size];
        String[] senders = new String[size];
        String[] names = new String[size];
        String[] texts = new String[size];
        String[] data = new String[size];
        Long[] sentAt = new Long[size];
        for (int n = 0; n < size; n++) {
            ChatMessage message = stored[fresh.get(n)];
            rooms[n] = message.room().value();
            seqs[n] = message.seq();
            ids[n] = message.id().value();
            senders[n] = message.from().id().value();
            names[n] = message.from().name();
            texts[n] = message.text().value();
            data[n] = message.data().map(MessageData::json).orElse(null);
            sentAt[n] = message.sentAt();
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            statement.setArray(1, connection.createArrayOf("text", rooms));
            statement.setArray(2, connection.createArrayOf("bigint", seqs));
            statement.setArray(3, connection.createArrayOf("text", ids));
            statement.setArray(4, connection.createArrayOf("text", senders));
            statement.setArray(5, connection.createArrayOf("text", names));
            statement.setArray(6, connection.createArrayOf("text", texts));
            statement.setArray(7, connection.createArrayOf("text", data));
            statement.setArray(8, connection.createArrayOf("bigint", sentAt));
            int inserted = statement.executeUpdate();
            if (inserted != size) {
                throw new SQLException("inserted " + inserted + " of " + size + " messages");
            }
        }
    }
}
