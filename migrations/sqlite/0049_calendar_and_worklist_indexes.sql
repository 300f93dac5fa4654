-- Indexes for the pages staff open all day (measured on a village of 20,000 proposals
-- and 3,000 meetings):
-- the planning calendar (portal, "Perlu tindakan", proposal pages) lists a year's
-- finalized meetings by date and kind; a meeting's row carries its frozen record, so
-- reading the rows cost 9 ms. From the index alone:
CREATE INDEX meetings_by_village_date ON meetings (village_id, scheduled_at, status, kind, id);
-- meetings held and waiting to be finalized (5 ms: every meeting of the village walked);
CREATE INDEX meetings_by_status ON meetings (village_id, status, scheduled_at, id);
-- proposals of one status newest first, in the list's full order (10 ms for the
-- pending ones: the newest-first index walked through every proposal).
DROP INDEX proposals_by_status;
CREATE INDEX proposals_by_status ON proposals (village_id, status, created_at DESC, id DESC);
