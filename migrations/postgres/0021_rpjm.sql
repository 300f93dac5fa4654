-- The RPJM Desa: the village's eight-year plan (UU 3/2024), its vision and mission, the
-- Peraturan Desa that set it, and its backlog of activities by year. A backlog activity
-- may stand for a proposal (one placed there for a year, or one the pagu could not fund
-- and that went back to the RPJM Desa at the Musrenbangdes).
CREATE TABLE rpjm (
    id             UUID PRIMARY KEY,
    village_id     UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    start_year     BIGINT NOT NULL CHECK (start_year BETWEEN 2000 AND 2100),
    end_year       BIGINT NOT NULL,
    vision         TEXT NOT NULL,
    mission        TEXT NOT NULL,
    perdes_number  TEXT,
    perdes_date    DATE,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    CHECK (end_year = start_year + 7),
    CHECK ((perdes_number IS NULL) = (perdes_date IS NULL)),
    UNIQUE (village_id, start_year)
);

CREATE TABLE rpjm_items (
    id               UUID PRIMARY KEY,
    rpjm_id          UUID NOT NULL REFERENCES rpjm(id) ON DELETE CASCADE,
    year             BIGINT NOT NULL,
    bidang           TEXT NOT NULL CHECK (bidang IN ('01', '02', '03', '04', '05')),
    sub_bidang       TEXT,
    kegiatan         TEXT NOT NULL,
    location         TEXT,
    volume           TEXT,
    cost             BIGINT CHECK (cost >= 0),
    source           TEXT,
    proposal_id      UUID REFERENCES proposals(id) ON DELETE SET NULL,
    created_by_name  TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX rpjm_items_by_year ON rpjm_items (rpjm_id, year);
CREATE UNIQUE INDEX rpjm_items_one_per_proposal ON rpjm_items (rpjm_id, proposal_id);
