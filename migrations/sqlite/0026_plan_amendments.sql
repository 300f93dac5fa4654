-- no-transaction
-- Perubahan RKP Desa: a set plan may be amended through the same steps (a Musrenbangdes
-- agrees the amended draft, a Peraturan Desa sets it). The amendment is a plan of its own
-- for the same year, `revision` 1, 2, … beside the original (revision 0); it names the
-- plan it `amends`, why (`amend_ground`: a special event or a change of government policy,
-- and `amend_reason` in words). When it is set, the plan it amends is `superseded_by` it
-- and stays as it was, sealed. (`amends` and `superseded_by` name plans of the same
-- village and year without a foreign key, so an export loads in any row order.)
--
-- SQLite cannot drop the UNIQUE (village_id, year), so the table is rebuilt with the same
-- rows, the way SQLite's documentation says: foreign keys off (outside a transaction, or
-- dropping the old table would cascade to its criteria, items and scores), the rebuild in
-- one transaction, the keys checked, foreign keys on again.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE plans_new (
    id             BLOB PRIMARY KEY,
    village_id     BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    year           INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    status         TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'adopted')),
    meeting_id     BLOB REFERENCES meetings(id),
    adopted_at     TEXT,
    adopted_by     BLOB REFERENCES users(id) ON DELETE SET NULL,
    record         TEXT,
    content_hash   TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    agreed_in      BLOB,
    tabled         TEXT,
    agreed_at      TEXT,
    perdes_number  TEXT,
    perdes_date    TEXT,
    revision       INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
    amends         BLOB,
    superseded_by  BLOB,
    amend_ground   TEXT CHECK (amend_ground IN ('peristiwa_khusus', 'kebijakan')),
    amend_reason   TEXT,
    UNIQUE (village_id, year, revision),
    CHECK ((status = 'adopted') = (record IS NOT NULL)),
    CHECK ((revision = 0) = (amends IS NULL) AND (revision = 0) = (amend_ground IS NULL))
);
INSERT INTO plans_new (id, village_id, year, status, meeting_id, adopted_at, adopted_by, record,
    content_hash, version, created_at, updated_at, agreed_in, tabled, agreed_at, perdes_number,
    perdes_date)
SELECT id, village_id, year, status, meeting_id, adopted_at, adopted_by, record,
    content_hash, version, created_at, updated_at, agreed_in, tabled, agreed_at, perdes_number,
    perdes_date FROM plans;
DROP TABLE plans;
ALTER TABLE plans_new RENAME TO plans;
CREATE INDEX plans_by_agreeing_meeting ON plans (agreed_in);
COMMIT;
PRAGMA foreign_keys = ON;
