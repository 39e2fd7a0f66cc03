-- Facts about the database itself, and which directory rows are the built-in demo's.

-- 'production_since' (unix seconds): written by `kyodo run` at start. A console session on such a
-- database does no background work there (no deliveries, time-outs, schedules or purges).
-- 'demo_rows_recognised': '0' until the demo rows of a database made before this migration have
-- been recognised (once, at the next open by the command line).
CREATE TABLE kyodo_meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO kyodo_meta (key, value) VALUES ('demo_rows_recognised', '0');

-- Rows the built-in demo directory loaded, by kind and id (an action's id is its number).
-- `kyodo demo remove`, or the office's first import of that kind, removes them.
CREATE TABLE demo_rows (
    kind TEXT NOT NULL CHECK (kind IN ('organizations', 'advisors', 'actions')),
    id   TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
