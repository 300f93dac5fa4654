-- Perubahan RKP Desa: a set plan may be amended through the same steps (a Musrenbangdes
-- agrees the amended draft, a Peraturan Desa sets it). The amendment is a plan of its own
-- for the same year, `revision` 1, 2, … beside the original (revision 0); it names the
-- plan it `amends`, why (`amend_ground`: a special event or a change of government policy,
-- and `amend_reason` in words). When it is set, the plan it amends is `superseded_by` it
-- and stays as it was, sealed. (`amends` and `superseded_by` name plans of the same
-- village and year without a foreign key, so an export loads in any row order.)
ALTER TABLE plans ADD COLUMN revision BIGINT NOT NULL DEFAULT 0 CHECK (revision >= 0);
ALTER TABLE plans ADD COLUMN amends UUID;
ALTER TABLE plans ADD COLUMN superseded_by UUID;
ALTER TABLE plans ADD COLUMN amend_ground TEXT CHECK (amend_ground IN ('peristiwa_khusus', 'kebijakan'));
ALTER TABLE plans ADD COLUMN amend_reason TEXT;
ALTER TABLE plans DROP CONSTRAINT plans_village_id_year_key;
ALTER TABLE plans ADD CONSTRAINT plans_village_year_revision UNIQUE (village_id, year, revision);
ALTER TABLE plans ADD CONSTRAINT plans_amendment_names_its_plan
    CHECK ((revision = 0) = (amends IS NULL) AND (revision = 0) = (amend_ground IS NULL));
