-- Items taken off a meeting's agenda before finalization: by hand with a reason, or
-- because another meeting decided the proposal. Kept on the meeting's record.
CREATE TABLE meeting_agenda_removals (
    id               BLOB PRIMARY KEY,
    meeting_id       BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    proposal_id      BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    reason           TEXT NOT NULL,
    removed_by_name  TEXT NOT NULL,
    removed_at       TEXT NOT NULL
);
CREATE INDEX meeting_agenda_removals_by_meeting ON meeting_agenda_removals (meeting_id, removed_at);
