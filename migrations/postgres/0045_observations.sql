-- Residents report progress too (seed 002, monitoring together): a resident of the
-- village adds an observation with a photo to a proposal being carried out. It is marked
-- as a resident's, waits for the village's staff to publish it (as anonymous proposals
-- do), and only then shows to the public and counts.
ALTER TABLE proposal_updates ADD COLUMN by_resident BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE proposal_updates ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
    CHECK (status IN ('pending', 'published', 'hidden'));
ALTER TABLE proposal_updates ADD COLUMN moderated_by_name TEXT;
ALTER TABLE proposal_updates ADD COLUMN moderated_at TIMESTAMPTZ;
ALTER TABLE proposal_updates ADD COLUMN hidden_reason TEXT;
