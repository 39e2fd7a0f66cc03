-- Bumped by every import that changes the directory, so a running bot (another process)
-- notices and rebuilds its search index.
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 0);
