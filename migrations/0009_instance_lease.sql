-- One active `kyodo run` per database: the instance holding the lease handles Discord events
-- and delivers the outbox; another waits as a standby and takes the lease over when the
-- holder stops renewing it (crashed, killed, cut off). Times in Unix milliseconds.
CREATE TABLE instance_lease (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
