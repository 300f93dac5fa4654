-- Satisfaction and trust after a meeting (seed 001): attendees rate a held meeting (1–5),
-- say whether they were heard, may comment, and may answer the yearly trust question. The
-- form is reached with the meeting's rating code, printed on the daftar hadir in the hall;
-- ratings given on paper are entered by the facilitator.
--
-- Each meeting gets its code when it is stored (a trigger, so every way a meeting is
-- written — a form, a rescheduling, an import, the generator — gets one).
ALTER TABLE meetings ADD COLUMN rating_code TEXT;
UPDATE meetings SET rating_code = upper(substr(hex(randomblob(4)), 1, 6));
CREATE TRIGGER meetings_rating_code AFTER INSERT ON meetings
    WHEN NEW.rating_code IS NULL
BEGIN
    UPDATE meetings SET rating_code = upper(substr(hex(randomblob(4)), 1, 6)) WHERE id = NEW.id;
END;

CREATE TABLE meeting_ratings (
    id          BLOB PRIMARY KEY,
    meeting_id  BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    heard       TEXT NOT NULL CHECK (heard IN ('yes', 'partly', 'no')),
    -- "Do you trust the village government to act on what residents decide?" (1–5).
    trust       INTEGER CHECK (trust BETWEEN 1 AND 5),
    comment     TEXT,
    hamlet      TEXT,
    group_id    BLOB REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    -- Online: a random key kept in the rater's session, so one browser rates a meeting once.
    rater       TEXT,
    entered_by  BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX meeting_ratings_rater_key ON meeting_ratings (meeting_id, rater)
    WHERE rater IS NOT NULL;
CREATE INDEX meeting_ratings_by_meeting ON meeting_ratings (meeting_id, created_at);
