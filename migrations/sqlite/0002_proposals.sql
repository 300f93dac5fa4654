-- Proposals (usulan), their per-village numbering and their public timeline.

CREATE TABLE proposal_counters (
    village_id  BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year        INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    PRIMARY KEY (village_id, year)
);

CREATE TABLE proposals (
    id                   BLOB PRIMARY KEY,
    village_id           BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year                 INTEGER NOT NULL,
    seq                  INTEGER NOT NULL,
    number               TEXT NOT NULL,
    title                TEXT NOT NULL,
    problem              TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    bidang               TEXT NOT NULL CHECK (bidang IN ('01', '02', '03', '04', '05')),
    sub_bidang           TEXT,
    location             TEXT,
    hamlet               TEXT,
    volume               TEXT,
    estimated_cost       INTEGER CHECK (estimated_cost >= 0),
    funding_source       TEXT,
    channel              TEXT NOT NULL,
    proposer_user_id     BLOB REFERENCES users(id) ON DELETE SET NULL,
    proposer_name        TEXT NOT NULL,
    proposer_group_id    BLOB REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    -- Never shown on public pages or in open data (UU 27/2022).
    proposer_phone       TEXT,
    entered_by           BLOB REFERENCES users(id) ON DELETE SET NULL,
    submitted_from       TEXT,
    status               TEXT NOT NULL,
    level                INTEGER NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 5),
    supports             INTEGER NOT NULL DEFAULT 0,
    merged_into          BLOB REFERENCES proposals(id),
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    UNIQUE (village_id, year, seq),
    UNIQUE (village_id, number)
);
CREATE INDEX proposals_newest ON proposals (village_id, created_at DESC, id DESC);
CREATE INDEX proposals_supported ON proposals (village_id, supports DESC, created_at DESC);
CREATE INDEX proposals_by_level ON proposals (village_id, level DESC, created_at DESC);
CREATE INDEX proposals_by_status ON proposals (village_id, status, created_at DESC);
CREATE INDEX proposals_by_bidang ON proposals (village_id, bidang, created_at DESC);
CREATE INDEX proposals_by_hamlet ON proposals (village_id, hamlet, created_at DESC);
CREATE INDEX proposals_recent_from ON proposals (submitted_from, created_at);

-- Everything that happened to a proposal, for its public timeline.
CREATE TABLE proposal_events (
    id           BLOB PRIMARY KEY,
    proposal_id  BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    actor_id     BLOB REFERENCES users(id) ON DELETE SET NULL,
    actor_name   TEXT,
    kind         TEXT NOT NULL,
    from_value   TEXT,
    to_value     TEXT,
    note         TEXT
);
CREATE INDEX proposal_events_by_proposal ON proposal_events (proposal_id, at, id);

-- Full-text search over title, problem and description (kept in step by triggers).
CREATE VIRTUAL TABLE proposals_fts USING fts5(
    title, problem, description, content='proposals', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER proposals_fts_insert AFTER INSERT ON proposals BEGIN
    INSERT INTO proposals_fts (rowid, title, problem, description)
    VALUES (new.rowid, new.title, new.problem, new.description);
END;
CREATE TRIGGER proposals_fts_delete AFTER DELETE ON proposals BEGIN
    INSERT INTO proposals_fts (proposals_fts, rowid, title, problem, description)
    VALUES ('delete', old.rowid, old.title, old.problem, old.description);
END;
CREATE TRIGGER proposals_fts_update AFTER UPDATE OF title, problem, description ON proposals BEGIN
    INSERT INTO proposals_fts (proposals_fts, rowid, title, problem, description)
    VALUES ('delete', old.rowid, old.title, old.problem, old.description);
    INSERT INTO proposals_fts (rowid, title, problem, description)
    VALUES (new.rowid, new.title, new.problem, new.description);
END;
