-- Issue 12, each side acts for itself. Keep in lockstep with ../sqlite/0009_party_acts.sql.

-- A party's own acts on the shared case: its review of an offer it received, its reply, its
-- pending consent to cancelling or ending the case.
ALTER TABLE case_parties ADD COLUMN acts JSONB NOT NULL DEFAULT '{}'::jsonb;

-- Whether the offer has reached the other parties; before, the case is the initiator's
-- internal work and the partner does not see it.
ALTER TABLE cases ADD COLUMN offered BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE cases SET offered = TRUE
WHERE direction = 'masuk'
   OR stage NOT IN ('USULAN_DRAFT', 'DIAJUKAN_KE_TKKSD', 'KAJIAN_TKKSD', 'PERLU_PERBAIKAN',
                    'DITOLAK_INTERNAL', 'PENAWARAN_DISIAPKAN', 'DIBATALKAN');

-- Whose wet-ink scan it is (each party uploads and validates its own).
ALTER TABLE wet_ink_scans ADD COLUMN party_ordinal BIGINT;
-- The account that made an electronic signature (the signatory's own).
ALTER TABLE document_signatures ADD COLUMN user_id UUID;

-- Whose M&E form it is: each party evaluates its own implementation.
ALTER TABLE evaluations ADD COLUMN party_ordinal BIGINT;

-- One draft per case and kind, and for a PKS or an addendum one per agreement.
ALTER TABLE document_drafts ADD COLUMN agreement_id UUID REFERENCES agreements (id) ON DELETE CASCADE;
UPDATE document_drafts d SET agreement_id =
    (SELECT a.id FROM agreements a WHERE a.case_id = d.case_id AND a.kind = d.kind
     ORDER BY a.created_at DESC LIMIT 1)
WHERE d.kind IN ('pks', 'addendum');
ALTER TABLE document_drafts DROP CONSTRAINT document_drafts_case_id_kind_key;
CREATE UNIQUE INDEX document_drafts_one
    ON document_drafts (case_id, kind, COALESCE(agreement_id, '00000000-0000-0000-0000-000000000000'::uuid));
