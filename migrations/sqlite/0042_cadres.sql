-- Motors of change (seed 003): the village's cadres and self-starting people (KPMD, kader
-- posyandu, pemuda penggerak) with what they started, and the person a proposal names as
-- the one who drives it.
CREATE TABLE cadres (
    id          BLOB PRIMARY KEY,
    village_id  BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('kpmd', 'kader_posyandu', 'pemuda_penggerak',
                                              'kader_tani', 'penggerak_lain')),
    hamlet      TEXT,
    group_id    BLOB REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    since_year  INTEGER,
    started     TEXT NOT NULL,
    created_by  BLOB REFERENCES users(id) ON DELETE SET NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX cadres_name_key ON cadres (village_id, lower(name));

CREATE TABLE proposal_drivers (
    proposal_id  BLOB PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
    cadre_id     BLOB NOT NULL REFERENCES cadres(id) ON DELETE CASCADE,
    created_by   BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX proposal_drivers_by_cadre ON proposal_drivers (cadre_id);
