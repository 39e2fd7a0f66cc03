-- Progress of the plan's actions, scheduled runs (claimed before they post), and the searches
-- that found nothing (a demand signal, kept as terms only).

CREATE TABLE progress_updates (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    action_no   INTEGER NOT NULL REFERENCES plan_actions (no),
    fiscal_year INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done', 'delayed', 'reviewing')),
    note        TEXT NOT NULL DEFAULT '',
    author_id   TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX progress_updates_by_action ON progress_updates (action_no, created_at);

-- One row per schedule and fire time: claiming it is what makes a post happen exactly once.
CREATE TABLE schedule_runs (
    schedule   TEXT NOT NULL,
    fire_at    INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('posted', 'skipped')),
    late       INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    post_at    INTEGER,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (schedule, fire_at)
);

-- When a schedule was first seen, so a new one does not post for the past.
CREATE TABLE schedule_baselines (
    schedule TEXT PRIMARY KEY NOT NULL,
    since    INTEGER NOT NULL
);

CREATE TABLE search_misses (
    term    TEXT NOT NULL,
    user_id TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX search_misses_by_time ON search_misses (at);
