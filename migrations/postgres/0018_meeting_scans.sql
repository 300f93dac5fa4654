-- The signed paper: photos or a PDF of the berita acara and daftar hadir as signed in the
-- meeting, attached after finalization. Each is sealed in the village's chain beside the
-- record (its SHA-256 in the sealed entry).
CREATE TABLE meeting_scans (
    id                UUID PRIMARY KEY,
    meeting_id        UUID NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    label             TEXT NOT NULL CHECK (label IN ('berita_acara', 'daftar_hadir')),
    content_type      TEXT NOT NULL,
    bytes             BYTEA NOT NULL,
    sha256            TEXT NOT NULL,
    uploaded_by_name  TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX meeting_scans_by_meeting ON meeting_scans (meeting_id, created_at);

-- A scan is sealed in the chain as its own kind.
ALTER TABLE seals DROP CONSTRAINT seals_kind_check;
ALTER TABLE seals ADD CONSTRAINT seals_kind_check CHECK (kind IN ('meeting', 'addendum', 'plan', 'scan'));
