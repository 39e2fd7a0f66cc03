-- One active `kyodo run` per database: the instance holding the lease handles Discord events
-- and delivers the outbox; another waits as a standby and takes the lease over when the
-- holder stops renewing it (crashed, killed, cut off). Times in Unix milliseconds.
CREATE TABLE instance_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- The private thread a delivery opened, by the outbox row's dedupe key: a retried delivery
-- posts into the same thread instead of opening a second one. Ids only.
CREATE TABLE delivery_threads (
    dedupe_key TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
