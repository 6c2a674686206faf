-- Parley message history, version 2: messages.room no longer references rooms.
-- The foreign key ran one trigger and one rooms look-up (SELECT ... FOR KEY SHARE) per inserted
-- message, inside a transaction that already holds the room's row. Integrity still holds by
-- construction (docs/postgres.md, "Schema"): the only statement that inserts messages runs in
-- the transaction whose INSERT ... ON CONFLICT DO UPDATE on rooms created or locked the row of
-- each of their rooms just before, and rooms are never deleted.
ALTER TABLE messages DROP CONSTRAINT messages_room_fkey;
