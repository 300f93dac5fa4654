-- The tim verifikasi's check of each activity's RAB (budget plan) in a draft: `verified`,
-- or `revise` when sent back; none while not checked yet.
ALTER TABLE plan_items ADD COLUMN rab TEXT CHECK (rab IN ('verified', 'revise'));
