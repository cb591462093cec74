-- Follow-ups agreed in meetings, one row each, so the dashboard finds what is due by date
-- (the meeting keeps its own copy for display); and counting cases by stage from an index.
CREATE TABLE meeting_next_steps (
    meeting_id UUID NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    case_id    UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    due_on     DATE,
    PRIMARY KEY (meeting_id, ordinal)
);
CREATE INDEX meeting_next_steps_due ON meeting_next_steps (due_on, case_id);

INSERT INTO meeting_next_steps (meeting_id, ordinal, case_id, text, due_on)
SELECT m.id, e.ordinality::integer, m.case_id, e.value ->> 'text', (e.value ->> 'due_on')::date
FROM meetings m, jsonb_array_elements(m.next_steps) WITH ORDINALITY AS e(value, ordinality);
CREATE INDEX cases_published_stage ON cases (published, stage);
