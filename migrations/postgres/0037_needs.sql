-- The village's inventory of problems and needs (daftar masalah dan kebutuhan): what a
-- musyawarah dusun lists before anyone has a solution. A problem says where, whom it
-- affects, how many (a figure with its unit: the baseline an evaluation later compares
-- against), since when, and who raised it or in which meeting. Proposals link to the
-- problems they answer.
CREATE TABLE needs (
    id              UUID PRIMARY KEY,
    village_id      UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    description     TEXT,
    -- A hamlet of the village; none for the whole village.
    hamlet          TEXT,
    -- Comma-separated codes: men, women, poor_households, vulnerable_groups.
    affects         TEXT NOT NULL DEFAULT '',
    affected_count  BIGINT CHECK (affected_count >= 0),
    affected_unit   TEXT,
    since_year      BIGINT,
    meeting_id      UUID REFERENCES meetings(id) ON DELETE SET NULL,
    raised_by       TEXT,
    created_by      UUID REFERENCES users(id) ON DELETE SET NULL,
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    CHECK ((affected_count IS NULL) = (affected_unit IS NULL))
);
CREATE UNIQUE INDEX needs_title_key ON needs (village_id, lower(title));
CREATE INDEX needs_by_village ON needs (village_id, created_at);

CREATE TABLE proposal_needs (
    need_id      UUID NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    proposal_id  UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    created_by   UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (need_id, proposal_id)
);
CREATE INDEX proposal_needs_by_proposal ON proposal_needs (proposal_id);
