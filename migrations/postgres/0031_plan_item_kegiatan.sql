-- The kegiatan code of Permendagri 20/2018 an activity of the draft is planned under
-- (`02.03.10`; 90–99 for the village's own activities of a sub-bidang); none while not
-- chosen yet.
ALTER TABLE plan_items ADD COLUMN kegiatan TEXT;
