-- Collaborate means deciding alternatives together (seed 000: IAP2 collaborate, Walker's
-- stages): the options for a proposal, each with its cost and trade-offs, worked out with
-- a group; and, on the agenda item of the meeting that decided, which one was chosen and
-- why.
CREATE TABLE proposal_alternatives (
    id          UUID PRIMARY KEY,
    proposal_id UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    group_id    UUID NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    cost        BIGINT NOT NULL CHECK (cost >= 0),
    trade_offs  TEXT NOT NULL,
    created_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX proposal_alternatives_by_proposal ON proposal_alternatives (proposal_id, created_at);

ALTER TABLE meeting_agenda ADD COLUMN alternative_id UUID REFERENCES proposal_alternatives(id) ON DELETE SET NULL;
ALTER TABLE meeting_agenda ADD COLUMN alternative_reason TEXT;
