-- A kabupaten's own due dates for the stages of the planning year (its Perbup), set once
-- for all its villages: month and day of each stage it sets, with the regulation named.
-- Villages match on their kabupaten, case and spaces aside (`kabupaten_key`).
CREATE TABLE planning_dates (
    kabupaten_key  TEXT NOT NULL,
    kabupaten      TEXT NOT NULL,
    stage          TEXT NOT NULL CHECK (stage IN ('gathering', 'planning_musdes', 'tim_penyusun',
                                                  'musrenbangdes', 'perdes', 'du_rkp')),
    month          INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day            INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    source         TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (kabupaten_key, stage)
);
