-- Who votes: each line of the daftar hadir is an invited participant with a vote, or an
-- observer (peninjau). Quorum and vote counts use voters only. Lines recorded before this
-- were all counted as voters, and stay so.
ALTER TABLE meeting_attendance ADD COLUMN voter BOOLEAN NOT NULL DEFAULT TRUE;
