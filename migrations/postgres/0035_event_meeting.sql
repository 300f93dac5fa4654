-- The meeting a proposal's timeline line is about (put on its agenda, taken off, decided
-- there), so the line links to it. No foreign key: a village's records are imported
-- table by table, and the timeline comes before the meetings.
ALTER TABLE proposal_events ADD COLUMN meeting_id UUID;
-- Lines written before: the meeting whose agenda held the proposal and whose title the
-- line's note begins with.
UPDATE proposal_events SET meeting_id = (
    SELECT m.id FROM meeting_agenda a JOIN meetings m ON m.id = a.meeting_id
    WHERE a.proposal_id = proposal_events.proposal_id
      AND substr(proposal_events.note, 1, length(m.title)) = m.title
    ORDER BY m.scheduled_at LIMIT 1
) WHERE kind IN ('on_agenda', 'decided') AND note IS NOT NULL;
