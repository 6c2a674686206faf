-- Parley message history, version 3: no (room, sent_at) index.
-- It served age retention only, and every append paid for it: a third B-tree entry per message.
-- Measured (docs/benchmarks.md, "Durable appends at many rooms (issue 14)"): on 1,000 rooms a
-- 150-message insert took ~4 µs per message more with it (22 against 18 µs) and wrote ~130
-- more bytes of WAL per message (one more WAL record). Age retention now walks a room's
-- primary key (room, seq) from its oldest retained seq instead, reading only messages it then
-- deletes (RetentionPruner), as sent_at grows with seq within a room.
DROP INDEX messages_room_sent_at;
