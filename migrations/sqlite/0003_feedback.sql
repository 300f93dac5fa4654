-- Feedback on proposals (comments, concerns, supports) and officials' answers.

CREATE TABLE feedback (
    id             BLOB PRIMARY KEY,
    proposal_id    BLOB NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('comment', 'concern', 'support')),
    author_id      BLOB REFERENCES users(id) ON DELETE SET NULL,
    author_name    TEXT NOT NULL,
    group_id       BLOB REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    body           TEXT NOT NULL DEFAULT '',
    hidden_at      TEXT,
    hidden_by      BLOB REFERENCES users(id) ON DELETE SET NULL,
    hidden_reason  TEXT,
    created_at     TEXT NOT NULL
);
CREATE INDEX feedback_by_proposal ON feedback (proposal_id, created_at, id);
-- One support per person per proposal, kept by the database itself.
CREATE UNIQUE INDEX feedback_one_support ON feedback (proposal_id, author_id) WHERE kind = 'support';

CREATE TABLE feedback_answers (
    id           BLOB PRIMARY KEY,
    feedback_id  BLOB NOT NULL REFERENCES feedback(id) ON DELETE CASCADE,
    author_id    BLOB REFERENCES users(id) ON DELETE SET NULL,
    author_name  TEXT NOT NULL,
    body         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX feedback_answers_by_feedback ON feedback_answers (feedback_id, created_at);
