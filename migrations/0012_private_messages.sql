-- The bot's own messages that carry a consultation's private text (the topic in the advisor's
-- DM, the note in the requester's DM, the private thread): kept by id so that the retention
-- purge can edit or delete them on Discord too, not only in the database.
CREATE TABLE private_messages (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    channel_id      TEXT NOT NULL,
    message_id      TEXT NOT NULL,            -- '0': the channel itself (a private thread)
    sent_at         INTEGER NOT NULL,
    redacted_at     INTEGER,                   -- when the purge asked for it to be removed
    PRIMARY KEY (channel_id, message_id)
);
CREATE INDEX private_messages_by_consultation ON private_messages (consultation_id);
