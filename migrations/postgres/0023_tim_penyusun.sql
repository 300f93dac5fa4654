-- The Tim Penyusun RKP Desa of a plan year, appointed by the kepala desa's decree (SK):
-- its number and date, and the members (JSON: name, gender, role, where they come from).
CREATE TABLE tim_penyusun (
    plan_id     UUID PRIMARY KEY REFERENCES plans(id) ON DELETE CASCADE,
    sk_number   TEXT NOT NULL,
    sk_date     DATE NOT NULL,
    members     TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    updated_at  TIMESTAMPTZ NOT NULL
);
