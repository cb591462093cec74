-- Regional potential: observations (region, indicator, sector, year, value, unit, price basis,
-- source) and the batches they arrived in. Keep in lockstep with ../sqlite/0005_observations.sql.

-- One import, seed or synthetic load: who, when, from which file and source.
CREATE TABLE observation_batches (
    id          UUID PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('import', 'seed', 'synthetic')),
    source      TEXT NOT NULL,
    file_name   TEXT,
    level       TEXT NOT NULL CHECK (level IN ('province', 'regency', 'mixed')),
    indicator   TEXT NOT NULL,
    year        INTEGER,
    price_basis TEXT NOT NULL CHECK (price_basis IN ('adhb', 'adhk', 'none', 'mixed')),
    synthetic   BOOLEAN NOT NULL,
    row_count   BIGINT NOT NULL,
    replaced    BIGINT NOT NULL,
    note        TEXT,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

-- region_code is a Kemendagri code, or 'ID' for Indonesia as a whole. sector is a PDRB
-- category code (A … R,S,T,U) or '_total'. Synthetic values never share a key with real ones.
CREATE TABLE observations (
    synthetic   BOOLEAN NOT NULL,
    indicator   TEXT NOT NULL,
    price_basis TEXT NOT NULL CHECK (price_basis IN ('adhb', 'adhk', 'none')),
    region_code TEXT NOT NULL,
    sector      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    unit        TEXT NOT NULL,
    source      TEXT NOT NULL,
    batch_id    UUID NOT NULL REFERENCES observation_batches (id),
    PRIMARY KEY (synthetic, indicator, price_basis, region_code, sector, year)
);
CREATE INDEX observations_region ON observations (region_code, indicator);
CREATE INDEX observations_batch ON observations (batch_id);
