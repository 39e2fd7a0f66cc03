-- Consultations with advisors (plan actions 10 and 22), their offers and audit events, and the
-- outbox through which every notification that matters is delivered.

ALTER TABLE advisors ADD COLUMN available INTEGER NOT NULL DEFAULT 1 CHECK (available IN (0, 1));

CREATE TABLE consultations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,   -- the number people see
    route           TEXT NOT NULL CHECK (route IN ('citizen', 'staff')),
    requester_id    TEXT NOT NULL,                       -- chat account id
    language        TEXT NOT NULL CHECK (language IN ('ja', 'en')),
    topic           TEXT,                                -- personal text; NULL once purged
    state           TEXT NOT NULL CHECK (state IN ('offered', 'escalated', 'assigned', 'resolved', 'cancelled')),
    advisor_id      TEXT REFERENCES advisors (id),       -- who took it
    resolution_note TEXT,                                -- personal text; NULL once purged
    created_at      INTEGER NOT NULL,
    accepted_at     INTEGER,
    escalated_at    INTEGER,
    closed_at       INTEGER,
    purged_at       INTEGER
);
CREATE INDEX consultations_by_requester ON consultations (requester_id, state);
CREATE INDEX consultations_by_advisor ON consultations (advisor_id, state);

CREATE TABLE consultation_offers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    advisor_id      TEXT NOT NULL REFERENCES advisors (id),
    state           TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'declined', 'expired', 'undeliverable', 'withdrawn')),
    offered_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    answered_at     INTEGER,
    UNIQUE (consultation_id, advisor_id)                 -- nobody is asked twice
);
-- At most one open offer per consultation.
CREATE UNIQUE INDEX consultation_offers_one_open ON consultation_offers (consultation_id) WHERE state = 'open';
CREATE INDEX consultation_offers_due ON consultation_offers (state, expires_at);

-- Every state change: who, when, from → to, why. Reasons carry ids and figures, never topics.
CREATE TABLE consultation_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    at              INTEGER NOT NULL,
    actor           TEXT NOT NULL,
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    reason          TEXT NOT NULL
);
CREATE INDEX consultation_events_by_consultation ON consultation_events (consultation_id, id);

-- A person's unfinished step in a conversation (consent given? topic still to come?).
CREATE TABLE conversation_steps (
    user_id    TEXT PRIMARY KEY NOT NULL,
    step       TEXT NOT NULL CHECK (step IN ('consent', 'topic')),
    topic      TEXT,
    expires_at INTEGER NOT NULL
);

-- Messages written in the same transaction as the change they report, delivered by a worker.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    dedupe_key      TEXT NOT NULL UNIQUE,
    target_kind     TEXT NOT NULL CHECK (target_kind IN ('user', 'channel')),
    target_id       TEXT NOT NULL,
    payload         TEXT NOT NULL,                       -- JSON; emptied once purged
    subject         TEXT,                                -- what it is about, e.g. 'offer:12'
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_at      INTEGER,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER,
    last_error      TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
