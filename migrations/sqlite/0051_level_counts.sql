-- How many published proposals (neither waiting for moderation nor merged) stand on each
-- ladder level in each village, kept up by the proposals' own writes: the portal's chart
-- and the figures read five rows instead of counting the village's whole list (some
-- 8 ms at 30,000 proposals, after every change).
CREATE TABLE level_counts (
    village_id BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    level      INTEGER NOT NULL,
    published  INTEGER NOT NULL,
    PRIMARY KEY (village_id, level)
);

INSERT INTO level_counts (village_id, level, published)
    SELECT village_id, level, COUNT(*) FROM proposals
    WHERE status NOT IN ('pending', 'merged') GROUP BY village_id, level;

CREATE TRIGGER level_counts_insert AFTER INSERT ON proposals
    WHEN NEW.status NOT IN ('pending', 'merged')
BEGIN
    INSERT INTO level_counts (village_id, level, published) VALUES (NEW.village_id, NEW.level, 1)
        ON CONFLICT (village_id, level) DO UPDATE SET published = published + 1;
END;

CREATE TRIGGER level_counts_delete AFTER DELETE ON proposals
    WHEN OLD.status NOT IN ('pending', 'merged')
BEGIN
    UPDATE level_counts SET published = published - 1
        WHERE village_id = OLD.village_id AND level = OLD.level;
END;

CREATE TRIGGER level_counts_update AFTER UPDATE OF village_id, level, status ON proposals
    WHEN OLD.village_id IS NOT NEW.village_id OR OLD.level IS NOT NEW.level
        OR (OLD.status NOT IN ('pending', 'merged')) IS NOT (NEW.status NOT IN ('pending', 'merged'))
BEGIN
    UPDATE level_counts SET published = published - 1
        WHERE OLD.status NOT IN ('pending', 'merged')
        AND village_id = OLD.village_id AND level = OLD.level;
    INSERT INTO level_counts (village_id, level, published)
        SELECT NEW.village_id, NEW.level, 1 WHERE NEW.status NOT IN ('pending', 'merged')
        ON CONFLICT (village_id, level) DO UPDATE SET published = published + 1;
END;
