-- Collaborate means deciding alternatives together (seed 000: IAP2 collaborate, Walker's
-- stages): the options for a proposal, each with its cost and trade-offs, worked out with
-- a group; and, on the agenda item of the meeting that decided, which one was chosen and
-- why.
CREATE TABLE proposal_alternatives (
    id          BLOB PRIMARY KEY,
    proposal_id BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    group_id    BLOB NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    cost        INTEGER NOT NULL CHECK (cost >= 0),
    trade_offs  TEXT NOT NULL,
    created_by  BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX proposal_alternatives_by_proposal ON proposal_alternatives (proposal_id, created_at);

ALTER TABLE meeting_agenda ADD COLUMN alternative_id BLOB REFERENCES proposal_alternatives(id) ON DELETE SET NULL;
ALTER TABLE meeting_agenda ADD COLUMN alternative_reason TEXT;
