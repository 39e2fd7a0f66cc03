-- How useful a resolved consultation was, in the requester's own words: a score from 1 to 5
-- and an optional comment (personal text, purged with the consultation's topic). One answer
-- per consultation. Counted in the digest and the annual report (count and average only).

CREATE TABLE consultation_ratings (
    consultation_id INTEGER PRIMARY KEY NOT NULL REFERENCES consultations (id),
    score           INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         TEXT,
    rated_at        INTEGER NOT NULL
);
CREATE INDEX consultation_ratings_by_time ON consultation_ratings (rated_at);
