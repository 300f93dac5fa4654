-- Residents' own accounts: a phone number as the log-in name (e-mail optional), a request
-- to be a resident of a village that a facilitator or official confirms, one-time
-- password reset codes an official issues, and tracking codes for anonymous proposers.
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;
-- E.164 (`+6281234567890`), the form every spelling of a number is read into.
ALTER TABLE users ADD COLUMN phone TEXT UNIQUE;
ALTER TABLE users ADD CONSTRAINT users_email_or_phone CHECK (email IS NOT NULL OR phone IS NOT NULL);

-- A person asks to be a resident of a village; staff of the village decide.
CREATE TABLE resident_requests (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    village_id  UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    hamlet      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    decided_at  TIMESTAMPTZ,
    decided_by  UUID REFERENCES users(id) ON DELETE SET NULL,
    accepted    BOOLEAN
);
CREATE UNIQUE INDEX resident_requests_open ON resident_requests (user_id, village_id)
    WHERE decided_at IS NULL;
CREATE INDEX resident_requests_by_village ON resident_requests (village_id, decided_at);

-- Only the code's SHA-256 is kept; the code itself is shown once to the official.
CREATE TABLE reset_codes (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,
    issued_by   UUID REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);

-- The SHA-256 of a proposal's tracking code (kode lacak); none for a proposal of an account.
ALTER TABLE proposals ADD COLUMN tracking_hash TEXT;
CREATE UNIQUE INDEX proposals_by_tracking ON proposals (tracking_hash) WHERE tracking_hash IS NOT NULL;
