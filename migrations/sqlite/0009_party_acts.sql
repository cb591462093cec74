-- no-transaction
-- Issue 12, each side acts for itself. Keep in lockstep with ../postgres/0009_party_acts.sql.
-- Runs outside sqlx's transaction because rebuilding document_drafts (to allow one draft per
-- PKS/addendum) needs foreign keys off, which SQLite only allows outside a transaction; the
-- changes themselves are one transaction below.
PRAGMA foreign_keys = OFF;
BEGIN;

-- A party's own acts on the shared case: its review of an offer it received, its reply, its
-- pending consent to cancelling or ending the case (JSON).
ALTER TABLE case_parties ADD COLUMN acts TEXT NOT NULL DEFAULT '{}';

-- Whether the offer has reached the other parties; before, the case is the initiator's
-- internal work and the partner does not see it.
ALTER TABLE cases ADD COLUMN offered BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE cases SET offered = TRUE
WHERE direction = 'masuk'
   OR stage NOT IN ('USULAN_DRAFT', 'DIAJUKAN_KE_TKKSD', 'KAJIAN_TKKSD', 'PERLU_PERBAIKAN',
                    'DITOLAK_INTERNAL', 'PENAWARAN_DISIAPKAN', 'DIBATALKAN');

-- Whose wet-ink scan it is (each party uploads and validates its own).
ALTER TABLE wet_ink_scans ADD COLUMN party_ordinal INTEGER;
-- The account that made an electronic signature (the signatory's own).
ALTER TABLE document_signatures ADD COLUMN user_id BLOB;

-- Whose M&E form it is: each party evaluates its own implementation.
ALTER TABLE evaluations ADD COLUMN party_ordinal INTEGER;

-- One draft per case and kind, and for a PKS or an addendum one per agreement.
CREATE TABLE document_drafts_v9 (
    id             BLOB PRIMARY KEY,
    case_id        BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('kb', 'pks', 'addendum', 'penawaran', 'berita-acara')),
    agreement_id   BLOB REFERENCES agreements (id) ON DELETE CASCADE,
    template       TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
INSERT INTO document_drafts_v9 (id, case_id, kind, agreement_id, template, latest_version, created_at, updated_at)
SELECT d.id, d.case_id, d.kind,
       CASE WHEN d.kind IN ('pks', 'addendum') THEN
           (SELECT a.id FROM agreements a WHERE a.case_id = d.case_id AND a.kind = d.kind
            ORDER BY a.created_at DESC LIMIT 1)
       END,
       d.template, d.latest_version, d.created_at, d.updated_at
FROM document_drafts d;
DROP TABLE document_drafts;
ALTER TABLE document_drafts_v9 RENAME TO document_drafts;
CREATE UNIQUE INDEX document_drafts_one
    ON document_drafts (case_id, kind, IFNULL(agreement_id, x'00'));

COMMIT;
PRAGMA foreign_keys = ON;
