-- A plan item's beneficiaries as the RKP Desa form counts them (men, women, poor
-- households), and its planned implementer as the law names it: the responsible Kasi or
-- Kaur of the village government (`pelaksana`), with the Tim Pelaksana Kegiatan (`tpk`).
ALTER TABLE plan_items ADD COLUMN men BIGINT CHECK (men >= 0);
ALTER TABLE plan_items ADD COLUMN women BIGINT CHECK (women >= 0);
ALTER TABLE plan_items ADD COLUMN poor BIGINT CHECK (poor >= 0);
ALTER TABLE plan_items ADD COLUMN pelaksana TEXT;
ALTER TABLE plan_items ADD COLUMN tpk BOOLEAN NOT NULL DEFAULT FALSE;
