-- The engagement ladder: the village's thresholds, partnerships of groups on proposals,
-- the community body that carries a proposal out, and the evidence behind each move.

ALTER TABLE villages ADD COLUMN ladder_consult_feedback BIGINT NOT NULL DEFAULT 3 CHECK (ladder_consult_feedback >= 1);
ALTER TABLE villages ADD COLUMN ladder_consult_voices BIGINT NOT NULL DEFAULT 2 CHECK (ladder_consult_voices >= 1);
ALTER TABLE villages ADD COLUMN ladder_involve_groups BIGINT NOT NULL DEFAULT 2 CHECK (ladder_involve_groups >= 1);
ALTER TABLE villages ADD COLUMN auto_empower BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE proposals ADD COLUMN implementer_group_id UUID REFERENCES stakeholder_groups(id) ON DELETE SET NULL;

-- The conditions that held when a proposal moved on the ladder (JSON), for its timeline.
ALTER TABLE proposal_events ADD COLUMN evidence TEXT;

CREATE TABLE proposal_partnerships (
    id            UUID PRIMARY KEY,
    proposal_id   UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    group_id      UUID NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    contribution  TEXT NOT NULL CHECK (contribution IN ('labour', 'materials', 'land', 'funds', 'expertise', 'co_ownership')),
    amount        BIGINT CHECK (amount >= 0),
    note          TEXT,
    created_by    UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX proposal_partnerships_by_proposal ON proposal_partnerships (proposal_id, created_at);
