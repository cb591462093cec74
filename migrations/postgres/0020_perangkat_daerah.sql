-- Issue 22. The Perangkat Daerah (OPD) a region keeps as its master list: once a region has
-- one, a unit named on an official, a user, a party contact or a case is one of them, under
-- the list's own name.
CREATE TABLE region_units (
    id           UUID PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    name         TEXT NOT NULL,
    folded_name  TEXT NOT NULL,
    abbreviation TEXT,
    urusan       JSONB NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (region_code, folded_name)
);
