-- Messages Discord refused for good (403: DMs closed, missing access), for later features to
-- react to (the routing moves on to the next advisor). Ids only, never message text.
CREATE TABLE delivery_failures (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('user', 'channel')),
    target_id   TEXT NOT NULL,
    status      INTEGER NOT NULL,
    code        INTEGER NOT NULL,
    failed_at   INTEGER NOT NULL
);
CREATE INDEX delivery_failures_by_target ON delivery_failures (target_kind, target_id);
