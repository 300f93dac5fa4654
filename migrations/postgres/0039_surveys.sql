-- Needs surveys (survei kebutuhan masyarakat, seed 001; seed 002 stage 1): a short form of
-- questions with fixed answers that a facilitator or a group runs, answered online or on
-- paper and entered, one answer per person; results per dusun and group.
CREATE TABLE surveys (
    id          UUID PRIMARY KEY,
    village_id  UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    intro       TEXT,
    -- The group that runs it, when a group does.
    group_id    UUID REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    created_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    closed_at   TIMESTAMPTZ
);
CREATE INDEX surveys_by_village ON surveys (village_id, created_at);

CREATE TABLE survey_questions (
    id          UUID PRIMARY KEY,
    survey_id   UUID NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    text        TEXT NOT NULL,
    -- The fixed answers, one per line, in their order.
    choices     TEXT NOT NULL,
    UNIQUE (survey_id, position)
);

CREATE TABLE survey_responses (
    id          UUID PRIMARY KEY,
    survey_id   UUID NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    -- Who answered, so that one person answers once: `user:<id>` for an account,
    -- `browser:<key>` for a browser without one, `paper:<name>` for a paper form.
    respondent  TEXT NOT NULL,
    hamlet      TEXT,
    group_id    UUID REFERENCES stakeholder_groups(id) ON DELETE SET NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    entered_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (survey_id, respondent)
);

CREATE TABLE survey_answers (
    response_id  UUID NOT NULL REFERENCES survey_responses(id) ON DELETE CASCADE,
    question_id  UUID NOT NULL REFERENCES survey_questions(id) ON DELETE CASCADE,
    -- The chosen answer's place among the question's choices, from 0.
    choice       BIGINT NOT NULL CHECK (choice >= 0),
    PRIMARY KEY (response_id, question_id)
);
