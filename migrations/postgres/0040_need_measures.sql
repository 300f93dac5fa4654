-- Before and after (seed 001, "dampak perubahan: analisis sebelum dan sesudah"): a
-- problem's figure (how many are affected) is its baseline; once a proposal answering it
-- is done, the figure is measured again, as dated entries (a later count may follow).
CREATE TABLE need_measures (
    id           UUID PRIMARY KEY,
    need_id      UUID NOT NULL REFERENCES needs(id) ON DELETE CASCADE,
    -- How many are still affected, in the problem's unit.
    count        BIGINT NOT NULL CHECK (count >= 0),
    measured_on  DATE NOT NULL,
    note         TEXT,
    recorded_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX need_measures_by_need ON need_measures (need_id, measured_on);
