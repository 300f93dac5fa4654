-- The stakeholder network: relations between a village's groups, and with outside parties.

CREATE TABLE group_relations (
    id            UUID PRIMARY KEY,
    village_id    UUID NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    from_group    UUID NOT NULL REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    -- Either another group of the village, or an outside party by name and kind.
    to_group      UUID REFERENCES stakeholder_groups(id) ON DELETE CASCADE,
    outside_name  TEXT,
    outside_kind  TEXT CHECK (outside_kind IN ('desa_lain', 'ngo', 'swasta', 'kabupaten', 'lainnya')),
    stance        TEXT NOT NULL CHECK (stance IN ('supports', 'competes', 'none')),
    form          TEXT CHECK (form IN ('contact', 'cooperation', 'alliance', 'coalition')),
    since_year    BIGINT,
    note          TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    CHECK ((to_group IS NULL) <> (outside_name IS NULL)),
    CHECK (to_group IS NULL OR to_group <> from_group)
);
CREATE INDEX group_relations_by_village ON group_relations (village_id, created_at);
