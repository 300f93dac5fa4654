-- Proposals (usulan), their per-village numbering and their public timeline.

CREATE TABLE proposal_counters (
    village_id  UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year        BIGINT NOT NULL,
    last_seq    BIGINT NOT NULL,
    PRIMARY KEY (village_id, year)
);

CREATE TABLE proposals (
    id                   UUID PRIMARY KEY,
    village_id           UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year                 BIGINT NOT NULL,
    seq                  BIGINT NOT NULL,
    number               TEXT NOT NULL,
    title                TEXT NOT NULL,
    problem              TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    bidang               TEXT NOT NULL CHECK (bidang IN ('01', '02', '03', '04', '05')),
    sub_bidang           TEXT,
    location             TEXT,
    hamlet               TEXT,
    volume               TEXT,
    estimated_cost       BIGINT CHECK (estimated_cost >= 0),
    funding_source       TEXT,
    channel              TEXT NOT NULL,
    proposer_user_id     UUID REFERENCES users(id) ON DELETE SET NULL,
    proposer_name        TEXT NOT NULL,
    proposer_group_id    UUID REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    -- Never shown on public pages or in open data (UU 27/2022).
    proposer_phone       TEXT,
    entered_by           UUID REFERENCES users(id) ON DELETE SET NULL,
    submitted_from       TEXT,
    status               TEXT NOT NULL,
    level                BIGINT NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 5),
    supports             BIGINT NOT NULL DEFAULT 0,
    merged_into          UUID REFERENCES proposals(id),
    version              BIGINT NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL,
    search               TSVECTOR GENERATED ALWAYS AS (
                             to_tsvector('indonesian', title || ' ' || problem || ' ' || description)) STORED,
    UNIQUE (village_id, year, seq),
    UNIQUE (village_id, number)
);
CREATE INDEX proposals_newest ON proposals (village_id, created_at DESC, id DESC);
CREATE INDEX proposals_supported ON proposals (village_id, supports DESC, created_at DESC);
CREATE INDEX proposals_by_level ON proposals (village_id, level DESC, created_at DESC);
CREATE INDEX proposals_by_status ON proposals (village_id, status, created_at DESC);
CREATE INDEX proposals_by_bidang ON proposals (village_id, bidang, created_at DESC);
CREATE INDEX proposals_by_hamlet ON proposals (village_id, hamlet, created_at DESC);
CREATE INDEX proposals_search ON proposals USING GIN (search);
CREATE INDEX proposals_recent_from ON proposals (submitted_from, created_at);

-- Everything that happened to a proposal, for its public timeline.
CREATE TABLE proposal_events (
    id           UUID PRIMARY KEY,
    proposal_id  UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     UUID REFERENCES users(id) ON DELETE SET NULL,
    actor_name   TEXT,
    kind         TEXT NOT NULL,
    from_value   TEXT,
    to_value     TEXT,
    note         TEXT
);
CREATE INDEX proposal_events_by_proposal ON proposal_events (proposal_id, at, id);
