-- The search index as built for one directory version, so a fresh process (`kyodo find`)
-- loads it instead of rebuilding (seconds at 100,000 groups). A cache: any row may be deleted;
-- one whose version or build key does not match is ignored and replaced.
CREATE TABLE search_index (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    directory_version INTEGER NOT NULL,
    build             TEXT NOT NULL,    -- what built it (search::persist::build_key)
    data              BLOB NOT NULL
);
