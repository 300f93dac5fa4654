-- The annual plan (RKP Desa): per village and year, its priority criteria, the
-- indicative ceiling per funding source, what was entered per accepted proposal, and —
-- once a finalized Musdes adopts it — the frozen record it is shown and exported from.

CREATE TABLE plans (
    id            BLOB PRIMARY KEY,
    village_id    BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'adopted')),
    meeting_id    BLOB REFERENCES meetings(id),
    adopted_at    TEXT,
    adopted_by    BLOB REFERENCES users(id) ON DELETE SET NULL,
    record        TEXT,
    content_hash  TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (village_id, year),
    CHECK ((status = 'adopted') = (record IS NOT NULL))
);

CREATE TABLE plan_criteria (
    id         BLOB PRIMARY KEY,
    plan_id    BLOB NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    weight     INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),
    max_score  INTEGER NOT NULL CHECK (max_score BETWEEN 2 AND 10)
);
CREATE INDEX plan_criteria_by_plan ON plan_criteria (plan_id, position);

CREATE TABLE plan_ceilings (
    plan_id  BLOB NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    source   TEXT NOT NULL,
    amount   INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (plan_id, source)
);

CREATE TABLE plan_items (
    plan_id        BLOB NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    proposal_id    BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    cost           INTEGER CHECK (cost >= 0),
    source         TEXT,
    pattern        TEXT CHECK (pattern IN ('swakelola', 'antar_desa', 'pihak_ketiga')),
    volume         TEXT,
    beneficiaries  TEXT,
    start_month    INTEGER CHECK (start_month BETWEEN 1 AND 12),
    end_month      INTEGER CHECK (end_month BETWEEN 1 AND 12),
    version        INTEGER NOT NULL DEFAULT 1,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (plan_id, proposal_id)
);
CREATE INDEX plan_items_by_proposal ON plan_items (proposal_id);

CREATE TABLE plan_scores (
    plan_id       BLOB NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    proposal_id   BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    criterion_id  BLOB NOT NULL REFERENCES plan_criteria(id) ON DELETE CASCADE,
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    PRIMARY KEY (plan_id, proposal_id, criterion_id)
);
CREATE INDEX plan_scores_by_criterion ON plan_scores (criterion_id);
