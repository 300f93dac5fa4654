-- The seven mapping questions of seed 004. A group's profile answers why it takes part and
-- what it gains (q1), what binds its members (q2), whether and on what else it acts
-- (q3-q4) and why it stands toward the village government as it does (q6); a relation
-- says why the two stand as they do (q5); a coalition is ad hoc, with a coordinator and an
-- end. A group's history is a list of dated entries (q7), and an inter-village body
-- (BKAD, MAD: kind desa_lain) lists its member villages.
ALTER TABLE stakeholder_groups ADD COLUMN motive TEXT;
ALTER TABLE stakeholder_groups ADD COLUMN gains TEXT;
ALTER TABLE stakeholder_groups ADD COLUMN bonds TEXT NOT NULL DEFAULT '';
ALTER TABLE stakeholder_groups ADD COLUMN bond_note TEXT;
ALTER TABLE stakeholder_groups ADD COLUMN acts_beyond TEXT CHECK (acts_beyond IN ('yes', 'no'));
ALTER TABLE stakeholder_groups ADD COLUMN other_matters TEXT;
ALTER TABLE stakeholder_groups ADD COLUMN relation_reason TEXT;

ALTER TABLE group_relations ADD COLUMN reason TEXT;
ALTER TABLE group_relations ADD COLUMN coordinator TEXT;
ALTER TABLE group_relations ADD COLUMN ends_on DATE;

CREATE TABLE group_history (
    id          UUID PRIMARY KEY,
    village_id  UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    group_id    UUID NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    year        BIGINT NOT NULL,
    change      TEXT NOT NULL CHECK (change IN ('founded', 'scope', 'membership', 'leadership',
                                                'merged', 'other')),
    what        TEXT NOT NULL,
    why         TEXT,
    members     BIGINT,
    created_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX group_history_by_group ON group_history (group_id, year);

CREATE TABLE group_villages (
    id          UUID PRIMARY KEY,
    village_id  UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    group_id    UUID NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    kecamatan   TEXT,
    created_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX group_villages_name_key ON group_villages (group_id, lower(name));
