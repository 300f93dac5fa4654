-- The engagement ladder: the village's thresholds, partnerships of groups on proposals,
-- the community body that carries a proposal out, and the evidence behind each move.

ALTER TABLE villages ADD COLUMN ladder_consult_feedback INTEGER NOT NULL DEFAULT 3 CHECK (ladder_consult_feedback >= 1);
ALTER TABLE villages ADD COLUMN ladder_consult_voices INTEGER NOT NULL DEFAULT 2 CHECK (ladder_consult_voices >= 1);
ALTER TABLE villages ADD COLUMN ladder_involve_groups INTEGER NOT NULL DEFAULT 2 CHECK (ladder_involve_groups >= 1);
ALTER TABLE villages ADD COLUMN auto_empower BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE proposals ADD COLUMN implementer_group_id BLOB REFERENCES stakeholder_groups(id) ON DELETE SET NULL;

-- The conditions that held when a proposal moved on the ladder (JSON), for its timeline.
ALTER TABLE proposal_events ADD COLUMN evidence TEXT;

CREATE TABLE proposal_partnerships (
    id            BLOB PRIMARY KEY,
    proposal_id   BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    group_id      BLOB NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    contribution  TEXT NOT NULL CHECK (contribution IN ('labour', 'materials', 'land', 'funds', 'expertise', 'co_ownership')),
    amount        INTEGER CHECK (amount >= 0),
    note          TEXT,
    created_by    BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX proposal_partnerships_by_proposal ON proposal_partnerships (proposal_id, created_at);
