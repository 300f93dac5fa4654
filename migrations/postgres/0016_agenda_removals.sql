-- Items taken off a meeting's agenda before finalization: by hand with a reason, or
-- because another meeting decided the proposal. Kept on the meeting's record.
CREATE TABLE meeting_agenda_removals (
    id               UUID PRIMARY KEY,
    meeting_id       UUID NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    proposal_id      UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    reason           TEXT NOT NULL,
    removed_by_name  TEXT NOT NULL,
    removed_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX meeting_agenda_removals_by_meeting ON meeting_agenda_removals (meeting_id, removed_at);
