-- Satisfaction and trust after a meeting (seed 001): attendees rate a held meeting (1–5),
-- say whether they were heard, may comment, and may answer the yearly trust question. The
-- form is reached with the meeting's rating code, printed on the daftar hadir in the hall;
-- ratings given on paper are entered by the facilitator.
--
-- Each meeting gets its code when it is stored (a volatile default, evaluated per row for
-- the meetings already there as well).
ALTER TABLE meetings ADD COLUMN rating_code TEXT
    DEFAULT upper(substr(md5(random()::text || clock_timestamp()::text), 1, 6));

CREATE TABLE meeting_ratings (
    id          UUID PRIMARY KEY,
    meeting_id  UUID NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    score       BIGINT NOT NULL CHECK (score BETWEEN 1 AND 5),
    heard       TEXT NOT NULL CHECK (heard IN ('yes', 'partly', 'no')),
    -- "Do you trust the village government to act on what residents decide?" (1–5).
    trust       BIGINT CHECK (trust BETWEEN 1 AND 5),
    comment     TEXT,
    hamlet      TEXT,
    group_id    UUID REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    -- Online: a random key kept in the rater's session, so one browser rates a meeting once.
    rater       TEXT,
    entered_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX meeting_ratings_rater_key ON meeting_ratings (meeting_id, rater)
    WHERE rater IS NOT NULL;
CREATE INDEX meeting_ratings_by_meeting ON meeting_ratings (meeting_id, created_at);
