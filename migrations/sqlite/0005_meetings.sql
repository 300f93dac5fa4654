-- Meetings (musyawarah): invitations, attendance, agenda with minutes and decisions,
-- addenda, and the frozen record a finalized meeting's berita acara is printed from.

-- The share of women a meeting should reach (per cent of those present).
ALTER TABLE villages ADD COLUMN women_minimum_percent INTEGER NOT NULL DEFAULT 30
    CHECK (women_minimum_percent BETWEEN 0 AND 100);

CREATE TABLE meetings (
    id                 BLOB PRIMARY KEY,
    village_id         BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    kind               TEXT NOT NULL CHECK (kind IN ('musdus', 'kelompok', 'pramusdes', 'musrenbangdes', 'musdes', 'konsultasi', 'lainnya')),
    title              TEXT NOT NULL,
    scheduled_at       TEXT NOT NULL,
    place              TEXT NOT NULL,
    chair              TEXT,
    note_taker         TEXT,
    invited_count      INTEGER CHECK (invited_count >= 0),
    quorum_rule        TEXT NOT NULL DEFAULT 'half' CHECK (quorum_rule IN ('half', 'two_thirds', 'none')),
    status             TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'finalized')),
    -- Set once, at finalization, and never again.
    quorum_note        TEXT,
    record             TEXT,
    content_hash       TEXT,
    verification_code  TEXT UNIQUE,
    finalized_at       TEXT,
    finalized_by       BLOB REFERENCES users(id) ON DELETE SET NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_by         BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX meetings_by_village ON meetings (village_id, scheduled_at DESC, id DESC);

CREATE TABLE meeting_invitations (
    meeting_id  BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    group_id    BLOB NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, group_id)
);

CREATE TABLE meeting_attendance (
    id          BLOB PRIMARY KEY,
    meeting_id  BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL CHECK (gender IN ('L', 'P')),
    group_id    BLOB REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    role        TEXT,
    hamlet      TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX meeting_attendance_by_meeting ON meeting_attendance (meeting_id, created_at, id);
CREATE INDEX meeting_attendance_by_group ON meeting_attendance (group_id);

CREATE TABLE meeting_agenda (
    meeting_id      BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    proposal_id     BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    minutes         TEXT,
    decision        TEXT CHECK (decision IN ('accepted', 'rejected', 'deferred')),
    method          TEXT CHECK (method IN ('mufakat', 'voting')),
    votes_for       INTEGER CHECK (votes_for >= 0),
    votes_against   INTEGER CHECK (votes_against >= 0),
    votes_abstain   INTEGER CHECK (votes_abstain >= 0),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (meeting_id, proposal_id)
);
CREATE INDEX meeting_agenda_by_proposal ON meeting_agenda (proposal_id);

CREATE TABLE meeting_addenda (
    id           BLOB PRIMARY KEY,
    meeting_id   BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    body         TEXT NOT NULL,
    author_id    BLOB REFERENCES users(id) ON DELETE SET NULL,
    author_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX meeting_addenda_by_meeting ON meeting_addenda (meeting_id, created_at);
