-- A plan item's cost split over several funding sources: the parts other sources pay
-- (JSON `[["add", 20000000], …]`); the item's `source` pays the rest.
ALTER TABLE plan_items ADD COLUMN shares TEXT;
