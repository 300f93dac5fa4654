-- Channels and their reach (seed 000, WHO step 1): each information channel recorded for a
-- proposal or a meeting, with the number of people it is estimated to have reached and
-- the dusun and groups it reached, so the portal can show whom no channel reached.
CREATE TABLE channel_reach (
    id              UUID PRIMARY KEY,
    village_id      UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    proposal_id     UUID REFERENCES proposals(id) ON DELETE CASCADE,
    meeting_id      UUID REFERENCES meetings(id) ON DELETE CASCADE,
    channel         TEXT NOT NULL,
    reach           BIGINT CHECK (reach > 0),
    note            TEXT,
    created_by      UUID REFERENCES users(id) ON DELETE SET NULL,
    created_by_name TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    CHECK ((proposal_id IS NULL) <> (meeting_id IS NULL))
);
CREATE INDEX channel_reach_by_village ON channel_reach (village_id, created_at);
CREATE INDEX channel_reach_by_proposal ON channel_reach (proposal_id);
CREATE INDEX channel_reach_by_meeting ON channel_reach (meeting_id);

CREATE TABLE channel_reach_hamlets (
    reach_id  UUID NOT NULL REFERENCES channel_reach(id) ON DELETE CASCADE,
    hamlet    TEXT NOT NULL,
    PRIMARY KEY (reach_id, hamlet)
);

CREATE TABLE channel_reach_groups (
    reach_id  UUID NOT NULL REFERENCES channel_reach(id) ON DELETE CASCADE,
    group_id  UUID NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    PRIMARY KEY (reach_id, group_id)
);
