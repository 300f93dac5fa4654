-- Tindak lanjut as actions, not answers (seed 001): what was done about a resident's
-- concern or a meeting's decision on a proposal — when, by whom, what changed — linked
-- to the record that shows it: a progress report, the proposal's place in a year's plan,
-- or a meeting decision.
CREATE TABLE follow_ups (
    id                   UUID PRIMARY KEY,
    proposal_id          UUID NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    -- What it follows up: a concern of the proposal's thread, or a meeting's decision on it.
    feedback_id          UUID REFERENCES feedback(id) ON DELETE CASCADE,
    decision_meeting_id  UUID REFERENCES meetings(id) ON DELETE CASCADE,
    done_on              DATE NOT NULL,
    actor                TEXT NOT NULL,
    change               TEXT NOT NULL,
    -- The record that shows it: exactly one.
    update_id            UUID REFERENCES proposal_updates(id) ON DELETE CASCADE,
    plan_id              UUID REFERENCES plans(id) ON DELETE CASCADE,
    evidence_meeting_id  UUID REFERENCES meetings(id) ON DELETE CASCADE,
    recorded_by          UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    CHECK ((feedback_id IS NULL) <> (decision_meeting_id IS NULL)),
    CHECK ((CASE WHEN update_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN plan_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN evidence_meeting_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE INDEX follow_ups_by_proposal ON follow_ups (proposal_id, done_on);
CREATE INDEX follow_ups_by_feedback ON follow_ups (feedback_id);
