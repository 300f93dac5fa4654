-- Standing items of bidang 01 (siltap and allowances of the kepala desa and perangkat, the
-- BPD's allowance and operations, RT/RW incentives, office running costs): entered once
-- per village and carried into every year's plan from `from_year` until `to_year` (none:
-- on and on), paid before any proposal. A plan freezes the ones it carried when its draft
-- is tabled, so a change here reaches only the drafts still open.
CREATE TABLE standing_items (
    id          UUID PRIMARY KEY,
    village_id  UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    sub_bidang  TEXT NOT NULL CHECK (sub_bidang LIKE '01.%'),
    kegiatan    TEXT NOT NULL,
    volume      TEXT,
    cost        BIGINT NOT NULL CHECK (cost > 0),
    source      TEXT NOT NULL,
    focus       TEXT,
    pelaksana   TEXT,
    from_year   BIGINT NOT NULL CHECK (from_year BETWEEN 2000 AND 2100),
    to_year     BIGINT CHECK (to_year IS NULL OR to_year >= from_year),
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX standing_items_by_village ON standing_items (village_id, from_year);
