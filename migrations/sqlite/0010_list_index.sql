-- The newest-first proposal list skips whole pages (`OFFSET`) inside this index alone: it
-- also holds the status the list filters on.
DROP INDEX proposals_newest;
CREATE INDEX proposals_newest ON proposals (village_id, created_at DESC, id DESC, status);
