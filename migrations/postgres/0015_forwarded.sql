-- A musyawarah dusun or group meeting forwards proposals to the village's planning; it
-- never accepts. The decision `forwarded` joins the agenda's decisions.
ALTER TABLE meeting_agenda DROP CONSTRAINT meeting_agenda_decision_check;
ALTER TABLE meeting_agenda ADD CONSTRAINT meeting_agenda_decision_check
    CHECK (decision IN ('accepted', 'rejected', 'deferred', 'forwarded'));
