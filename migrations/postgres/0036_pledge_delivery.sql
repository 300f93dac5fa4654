-- Promises kept: a partnership pledge (labour, materials, land, funds …) is later marked
-- as delivered, partly delivered or not delivered, with a note, by the village's staff.
ALTER TABLE proposal_partnerships ADD COLUMN delivery TEXT
    CHECK (delivery IN ('delivered', 'partly', 'not_delivered'));
ALTER TABLE proposal_partnerships ADD COLUMN delivery_note TEXT;
ALTER TABLE proposal_partnerships ADD COLUMN delivery_by_name TEXT;
ALTER TABLE proposal_partnerships ADD COLUMN delivery_at TIMESTAMPTZ;
