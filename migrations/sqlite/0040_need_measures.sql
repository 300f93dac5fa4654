-- Before and after (seed 001, "dampak perubahan: analisis sebelum dan sesudah"): a
-- problem's figure (how many are affected) is its baseline; once a proposal answering it
-- is done, the figure is measured again, as dated entries (a later count may follow).
CREATE TABLE need_measures (
    id           BLOB PRIMARY KEY,
    need_id      BLOB NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    -- How many are still affected, in the problem's unit.
    count        INTEGER NOT NULL CHECK (count >= 0),
    measured_on  TEXT NOT NULL,
    note         TEXT,
    recorded_by  BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX need_measures_by_need ON need_measures (need_id, measured_on);
