-- Parley message history, version 1. Applied by PostgresMessageStore at start (Flyway, from
-- code), inside the store's own schema (default "parley"). See docs/postgres.md.

-- One row: the epoch this database gives to every room it creates. A room never written
-- answers with it too, so a client that joined an empty room can replay from (0, epoch)
-- once the first message arrives. A new database (history reset) means a new epoch.
CREATE TABLE parley_store (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch      text NOT NULL CHECK (length(epoch) BETWEEN 1 AND 64),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO parley_store (epoch) VALUES (substr(replace(gen_random_uuid()::text, '-', ''), 1, 12));

-- Per room: its epoch, the last seq handed out, and the oldest seq still retained.
-- Every seq in oldest_seq..last_seq has its row in messages; appends raise last_seq in the
-- transaction that inserts the messages, pruning raises oldest_seq in the one that deletes.
CREATE TABLE rooms (
    name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 128),
    epoch      text NOT NULL CHECK (length(epoch) BETWEEN 1 AND 64),
    last_seq   bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    oldest_seq bigint NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rooms_retained_range CHECK (oldest_seq BETWEEN 1 AND last_seq + 1)
);

-- data_text is the message's data exactly as the domain holds it (MessageData.json()), so
-- it reads back byte for byte; data is the same object as jsonb (normalised by PostgreSQL:
-- key order, white space, duplicate keys, number spelling) for queries and indexes.
CREATE TABLE messages (
    room        text   NOT NULL REFERENCES rooms (name),
    seq         bigint NOT NULL CHECK (seq >= 1),
    client_id   text   NOT NULL,
    sender_id   text   NOT NULL,
    sender_name text   NOT NULL,
    text        text   NOT NULL,
    data_text   text,
    data        jsonb GENERATED ALWAYS AS (data_text::jsonb) STORED,
    sent_at     timestamptz NOT NULL,
    CONSTRAINT messages_pkey PRIMARY KEY (room, seq),
    CONSTRAINT messages_idempotency_key UNIQUE (room, sender_id, client_id),
    CONSTRAINT messages_data_is_object CHECK (data IS NULL OR jsonb_typeof(data) = 'object')
);

-- History, range and replay read (room, seq) ranges: the primary key serves them.
-- Age retention finds a room's messages older than a cut-off:
CREATE INDEX messages_room_sent_at ON messages (room, sent_at);
