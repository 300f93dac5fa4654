-- The kegiatan code of Permendagri 20/2018 a standing item of bidang 01 is paid under
-- (`01.01.01` penghasilan tetap dan tunjangan kepala desa …); none while not chosen.
ALTER TABLE standing_items ADD COLUMN code TEXT;
