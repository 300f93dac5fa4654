-- The annual plan (RKP Desa): per village and year, its priority criteria, the
-- indicative ceiling per funding source, what was entered per accepted proposal, and —
-- once a finalized Musdes adopts it — the frozen record it is shown and exported from.

CREATE TABLE plans (
    id            UUID PRIMARY KEY,
    village_id    UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year          BIGINT NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status        TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'adopted')),
    meeting_id    UUID REFERENCES meetings(id),
    adopted_at    TIMESTAMPTZ,
    adopted_by    UUID REFERENCES users(id) ON DELETE SET NULL,
    record        TEXT,
    content_hash  TEXT,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (village_id, year),
    CHECK ((status = 'adopted') = (record IS NOT NULL))
);

CREATE TABLE plan_criteria (
    id         UUID PRIMARY KEY,
    plan_id    UUID NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    name       TEXT NOT NULL,
    weight     BIGINT NOT NULL CHECK (weight BETWEEN 0 AND 100),
    max_score  BIGINT NOT NULL CHECK (max_score BETWEEN 2 AND 10)
);
CREATE INDEX plan_criteria_by_plan ON plan_criteria (plan_id, position);

CREATE TABLE plan_ceilings (
    plan_id  UUID NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    source   TEXT NOT NULL,
    amount   BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (plan_id, source)
);

CREATE TABLE plan_items (
    plan_id        UUID NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    proposal_id    UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    cost           BIGINT CHECK (cost >= 0),
    source         TEXT,
    pattern        TEXT CHECK (pattern IN ('swakelola', 'antar_desa', 'pihak_ketiga')),
    volume         TEXT,
    beneficiaries  TEXT,
    start_month    BIGINT CHECK (start_month BETWEEN 1 AND 12),
    end_month      BIGINT CHECK (end_month BETWEEN 1 AND 12),
    version        BIGINT NOT NULL DEFAULT 1,
    updated_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plan_id, proposal_id)
);
CREATE INDEX plan_items_by_proposal ON plan_items (proposal_id);

CREATE TABLE plan_scores (
    plan_id       UUID NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    proposal_id   UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    criterion_id  UUID NOT NULL REFERENCES plan_criteria(id) ON DELETE CASCADE,
    score         BIGINT NOT NULL CHECK (score BETWEEN 1 AND 10),
    PRIMARY KEY (plan_id, proposal_id, criterion_id)
);
CREATE INDEX plan_scores_by_criterion ON plan_scores (criterion_id);
