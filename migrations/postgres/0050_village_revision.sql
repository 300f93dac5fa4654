-- Every recorded change in a village counts up its revision, in the change's own
-- transaction: what a server keeps of a village's records (a proposal's timeline, thread
-- and evidence) is valid exactly while the revision it was read at is the village's,
-- on every server of one database. Each change appends to the audit log, so the log's
-- insert counts it; the few writes without an audit entry (bulk loading, sealing) count
-- it themselves.
ALTER TABLE villages ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION count_village_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE villages SET revision = revision + 1 WHERE id = NEW.village_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_log_counts_village_revision AFTER INSERT ON audit_log
    FOR EACH ROW WHEN (NEW.village_id IS NOT NULL)
    EXECUTE FUNCTION count_village_revision();
