-- The DU-RKP as the law means it (Permendagri 114/2014): the items that are the
-- kabupaten's, province's or state's to fund or carry out, sent through the camat to the
-- musrenbang kecamatan, whose answer per item comes back. What the pagu cannot fund goes
-- back to the RPJM Desa backlog instead.
--
-- `authority` is NULL for the village's own item. `placed` is where a set plan put the
-- item ('rkp', 'rpjm' back to the backlog, 'du_rkp'); only 'rkp' and 'du_rkp' keep a
-- proposal out of later years' drafts.
ALTER TABLE plan_items ADD COLUMN authority TEXT CHECK (authority IN ('kabupaten', 'provinsi', 'pusat'));
ALTER TABLE plan_items ADD COLUMN placed TEXT CHECK (placed IN ('rkp', 'rpjm', 'du_rkp'));
UPDATE plan_items SET placed = 'rkp' WHERE plan_id IN (SELECT id FROM plans WHERE status = 'adopted');

-- A kecamatan account oversees the villages whose kecamatan and kabupaten match.
CREATE TABLE oversight (
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kecamatan   TEXT NOT NULL,
    kabupaten   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, kecamatan, kabupaten)
);
CREATE INDEX villages_by_kecamatan ON villages (lower(kecamatan), lower(kabupaten));

-- The kecamatan's answer to one DU-RKP item (the latest; each answer is also on the
-- proposal's timeline).
CREATE TABLE du_rkp_answers (
    plan_id      UUID NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    proposal_id  UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    answer       TEXT NOT NULL CHECK (answer IN ('accommodated', 'not_accommodated')),
    reason       TEXT NOT NULL,
    kecamatan    TEXT NOT NULL,
    answered_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    answered_by_name TEXT NOT NULL,
    answered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (plan_id, proposal_id)
);
CREATE INDEX du_rkp_answers_by_proposal ON du_rkp_answers (proposal_id);
