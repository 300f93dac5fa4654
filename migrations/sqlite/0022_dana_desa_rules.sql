-- The year's rules on how Dana Desa may be used, per focus: the share of the village's
-- Dana Desa spent on it is at least (`min`) or at most (`max`) `percent`. Installation-wide
-- (the minister sets them for every village); an admin keeps them for later years.
CREATE TABLE dana_desa_rules (
    year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    focus       TEXT NOT NULL,
    bound       TEXT NOT NULL CHECK (bound IN ('min', 'max')),
    percent     INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (year, focus, bound)
);

-- Shipped: Dana Desa 2025, Permendesa PDT No. 2 Tahun 2024 tentang Petunjuk Operasional
-- atas Fokus Penggunaan Dana Desa Tahun 2025, pasal 7.
INSERT INTO dana_desa_rules (year, focus, bound, percent, source, updated_at) VALUES
    (2025, 'ketahanan_pangan', 'min', 20, 'Permendesa PDT 2/2024 pasal 7', '2025-01-01T00:00:00Z'),
    (2025, 'blt', 'max', 15, 'Permendesa PDT 2/2024 pasal 7', '2025-01-01T00:00:00Z'),
    (2025, 'operasional', 'max', 3, 'Permendesa PDT 2/2024 pasal 7', '2025-01-01T00:00:00Z');

-- What a Dana Desa item of a plan is spent on (`domain::dana_desa::FOCI`).
ALTER TABLE plan_items ADD COLUMN focus TEXT;
