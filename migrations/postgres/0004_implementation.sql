-- Implementation progress (with photos kept in the database, so every app server sees
-- them) and residents' evaluation of the result.

CREATE TABLE proposal_updates (
    id           UUID PRIMARY KEY,
    proposal_id  UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    at           TIMESTAMPTZ NOT NULL,
    author_id    UUID REFERENCES users(id) ON DELETE SET NULL,
    author_name  TEXT NOT NULL,
    progress     BIGINT NOT NULL CHECK (progress BETWEEN 0 AND 100),
    note         TEXT NOT NULL
);
CREATE INDEX proposal_updates_by_proposal ON proposal_updates (proposal_id, at);

CREATE TABLE proposal_photos (
    id            UUID PRIMARY KEY,
    update_id     UUID NOT NULL REFERENCES proposal_updates(id) ON DELETE CASCADE,
    content_type  TEXT NOT NULL,
    bytes         BYTEA NOT NULL
);
CREATE INDEX proposal_photos_by_update ON proposal_photos (update_id);

CREATE TABLE proposal_ratings (
    proposal_id  UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    author_id    UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    author_name  TEXT NOT NULL,
    rating       BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    reflection   TEXT NOT NULL DEFAULT '',
    at           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (proposal_id, author_id)
);
