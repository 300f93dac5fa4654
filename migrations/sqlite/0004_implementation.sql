-- Implementation progress (with photos kept in the database, so every app server sees
-- them) and residents' evaluation of the result.

CREATE TABLE proposal_updates (
    id           BLOB PRIMARY KEY,
    proposal_id  BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    author_id    BLOB REFERENCES users(id) ON DELETE SET NULL,
    author_name  TEXT NOT NULL,
    progress     INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    note         TEXT NOT NULL
);
CREATE INDEX proposal_updates_by_proposal ON proposal_updates (proposal_id, at);

CREATE TABLE proposal_photos (
    id            BLOB PRIMARY KEY,
    update_id     BLOB NOT NULL REFERENCES proposal_updates(id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL,
    bytes         BLOB NOT NULL
);
CREATE INDEX proposal_photos_by_update ON proposal_photos (update_id);

CREATE TABLE proposal_ratings (
    proposal_id  BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    author_id    BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_name  TEXT NOT NULL,
    rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    reflection   TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL,
    PRIMARY KEY (proposal_id, author_id)
);
