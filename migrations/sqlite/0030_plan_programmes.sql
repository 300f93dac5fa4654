-- Programmes the kabupaten, the province or the state bring into the village in a plan's
-- year (program/kegiatan masuk desa), listed by the Tim Penyusun beside the pagu indikatif.
-- They belong to the year's plan as first set (revision 0).
CREATE TABLE plan_programmes (
    id          BLOB PRIMARY KEY,
    plan_id     BLOB NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    giver       TEXT NOT NULL CHECK (giver IN ('kabupaten', 'provinsi', 'pusat')),
    agency      TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    location    TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX plan_programmes_by_plan ON plan_programmes (plan_id);
