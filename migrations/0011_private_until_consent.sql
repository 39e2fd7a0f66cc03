-- Nothing personal before consent, and conversations kept apart by place.
-- A half-finished request is keyed by person AND place (a DM and a server channel are separate
-- conversations) and remembers the language it was started in; the topic someone typed with
-- `/consult TOPIC` is no longer stored here (it waits in memory until they agree).
DROP TABLE conversation_steps;
CREATE TABLE conversation_steps (
    user_id    TEXT NOT NULL,
    place      TEXT NOT NULL,                -- 'dm' or 'channel:ID'
    step       TEXT NOT NULL CHECK (step IN ('consent', 'topic')),
    language   TEXT NOT NULL CHECK (language IN ('ja', 'en')),
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, place)
);

-- Which consultation an outbox row tells about, so retention empties exactly those rows.
ALTER TABLE outbox ADD COLUMN consultation_id INTEGER REFERENCES consultations (id);
CREATE INDEX outbox_by_consultation ON outbox (consultation_id);

-- When a language preference was set: it is kept for the retention period after that.
ALTER TABLE user_preferences ADD COLUMN set_at INTEGER NOT NULL DEFAULT 0;
UPDATE user_preferences SET set_at = CAST(strftime('%s', 'now') AS INTEGER);
