-- How many people live in each hamlet, when the village entered it: the equity page's
-- rupiah per person.
ALTER TABLE hamlets ADD COLUMN population BIGINT;
