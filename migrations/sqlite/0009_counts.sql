-- Counting a village's proposals per level (portal, statistics) reads this index alone.
CREATE INDEX proposals_level_status ON proposals (village_id, level, status);
