-- A musyawarah dusun or group meeting forwards proposals to the village's planning; it
-- never accepts. The decision `forwarded` joins the agenda's decisions. SQLite cannot
-- change a CHECK, so the table is rebuilt with the same rows.
CREATE TABLE meeting_agenda_new (
    meeting_id      BLOB NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    proposal_id     BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    minutes         TEXT,
    decision        TEXT CHECK (decision IN ('accepted', 'rejected', 'deferred', 'forwarded')),
    method          TEXT CHECK (method IN ('mufakat', 'voting')),
    votes_for       INTEGER CHECK (votes_for >= 0),
    votes_against   INTEGER CHECK (votes_against >= 0),
    votes_abstain   INTEGER CHECK (votes_abstain >= 0),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (meeting_id, proposal_id)
);
INSERT INTO meeting_agenda_new (meeting_id, proposal_id, position, minutes, decision, method,
    votes_for, votes_against, votes_abstain, created_at)
SELECT meeting_id, proposal_id, position, minutes, decision, method,
    votes_for, votes_against, votes_abstain, created_at FROM meeting_agenda;
DROP TABLE meeting_agenda;
ALTER TABLE meeting_agenda_new RENAME TO meeting_agenda;
CREATE INDEX meeting_agenda_by_proposal ON meeting_agenda (proposal_id);
