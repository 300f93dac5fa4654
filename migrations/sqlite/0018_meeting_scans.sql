-- The signed paper: photos or a PDF of the berita acara and daftar hadir as signed in the
-- meeting, attached after finalization. Each is sealed in the village's chain beside the
-- record (its SHA-256 in the sealed entry).
CREATE TABLE meeting_scans (
    id                BLOB PRIMARY KEY,
    meeting_id        BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    label             TEXT NOT NULL CHECK (label IN ('berita_acara', 'daftar_hadir')),
    content_type      TEXT NOT NULL,
    bytes             BLOB NOT NULL,
    sha256            TEXT NOT NULL,
    uploaded_by_name  TEXT NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX meeting_scans_by_meeting ON meeting_scans (meeting_id, created_at);

-- A scan is sealed in the chain as its own kind. SQLite cannot change a CHECK, so the
-- seals table is rebuilt with the same rows.
CREATE TABLE seals_new (
    village_id    BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('meeting', 'addendum', 'plan', 'scan')),
    subject_id    BLOB NOT NULL,
    parent_id     BLOB,
    content_hash  TEXT NOT NULL,
    prev_hash     TEXT NOT NULL,
    entry_hash    TEXT NOT NULL,
    key_id        TEXT NOT NULL,
    signature     TEXT NOT NULL,
    sealed_at     TEXT NOT NULL,
    PRIMARY KEY (village_id, seq)
);
INSERT INTO seals_new SELECT village_id, seq, kind, subject_id, parent_id, content_hash, prev_hash,
    entry_hash, key_id, signature, sealed_at FROM seals;
DROP TABLE seals;
ALTER TABLE seals_new RENAME TO seals;
CREATE UNIQUE INDEX seals_by_subject ON seals (kind, subject_id);
CREATE INDEX seals_by_parent ON seals (parent_id);
