-- The village's tata tertib: the quorum a deciding meeting needs to open (default two
-- thirds of the invited voters, after Permendesa 2/2015's model), the majority a vote
-- needs to carry (default more than half of the voters present), and the kepala desa
-- whose name the berita acara prints under the signature line.
ALTER TABLE villages ADD COLUMN quorum_rule TEXT NOT NULL DEFAULT 'two_thirds';
ALTER TABLE villages ADD COLUMN majority_rule TEXT NOT NULL DEFAULT 'half';
ALTER TABLE villages ADD COLUMN kepala_desa TEXT;

-- A meeting's opening: postponed when the quorum was not reached (when, why, by whom),
-- and rescheduled to a new meeting linked both ways. The community representative chosen
-- in the meeting signs its berita acara.
ALTER TABLE meetings ADD COLUMN majority_rule TEXT NOT NULL DEFAULT 'half';
ALTER TABLE meetings ADD COLUMN representative TEXT;
ALTER TABLE meetings ADD COLUMN postponed_at TEXT;
ALTER TABLE meetings ADD COLUMN postpone_note TEXT;
ALTER TABLE meetings ADD COLUMN postponed_by_name TEXT;
ALTER TABLE meetings ADD COLUMN rescheduled_from BLOB;
ALTER TABLE meetings ADD COLUMN rescheduled_to BLOB;
