-- Seals a database writer cannot forge: every sealed record (finalized meeting, addendum,
-- adopted plan) has an entry in its village's hash chain, signed with the installation's
-- Ed25519 key (kept outside the database). See src/domain/seal.rs.
CREATE TABLE seals (
    village_id    BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('meeting', 'addendum', 'plan')),
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
CREATE UNIQUE INDEX seals_by_subject ON seals (kind, subject_id);
CREATE INDEX seals_by_parent ON seals (parent_id);

-- Records sealed before this table existed are sealed once, at the first start with a
-- key; a record finalized later without a seal is reported, never sealed quietly.
CREATE TABLE seal_backfill (done INTEGER NOT NULL);
INSERT INTO seal_backfill (done) VALUES (0);
