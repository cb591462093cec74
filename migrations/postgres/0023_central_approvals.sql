-- Issue 22. The central government's answers on a cooperation with a foreign partner
-- (KSDPL, KSDLL): the Minister of Home Affairs' and the Minister of Foreign Affairs'
-- letters; the KB is signed once the latest answer of both is an approval.
CREATE TABLE central_approvals (
    id            UUID PRIMARY KEY,
    case_id       UUID NOT NULL REFERENCES cases (id),
    ministry      TEXT NOT NULL CHECK (ministry IN ('kemendagri', 'kemenlu')),
    letter_number TEXT NOT NULL,
    letter_date   DATE NOT NULL,
    approved      BOOLEAN NOT NULL,
    note          TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX central_approvals_case ON central_approvals (case_id, recorded_at);
