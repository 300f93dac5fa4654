-- The RKP Desa as the law sets it: the draft is agreed in a Musrenbangdes (its items and
-- totals sealed in that meeting's record at finalization), then set by Peraturan Desa
-- (number and date recorded). `agreed_in` names the Musrenbangdes the draft is before;
-- `tabled` is the draft as put before it (items and totals, fixed from then on);
-- `agreed_at` is when that meeting's finalization agreed it.
ALTER TABLE plans ADD COLUMN agreed_in BLOB;
ALTER TABLE plans ADD COLUMN tabled TEXT;
ALTER TABLE plans ADD COLUMN agreed_at TEXT;
ALTER TABLE plans ADD COLUMN perdes_number TEXT;
ALTER TABLE plans ADD COLUMN perdes_date TEXT;
CREATE INDEX plans_by_agreeing_meeting ON plans (agreed_in);
