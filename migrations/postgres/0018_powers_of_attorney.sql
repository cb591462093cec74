-- Issue 22. The surat kuasa as a record: the kepala daerah authorises one official of the
-- same region to sign one PKS. A PKS signed by anyone else names one of these; a region's
-- number is used once.
CREATE TABLE powers_of_attorney (
    id            UUID PRIMARY KEY,
    case_id       UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    agreement_id  UUID NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    number        TEXT NOT NULL,
    issued_on     DATE NOT NULL,
    grantor_id    UUID NOT NULL REFERENCES officials (id),
    grantor_name  TEXT NOT NULL,
    grantor_title TEXT NOT NULL,
    grantee_id    UUID NOT NULL REFERENCES officials (id),
    grantee_name  TEXT NOT NULL,
    grantee_title TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (region_code, number)
);
CREATE INDEX powers_of_attorney_agreement ON powers_of_attorney (agreement_id);
