-- Follow-ups agreed in meetings, one row each, so the dashboard finds what is due by date
-- (the meeting keeps its own copy for display); and counting cases by stage from an index.
CREATE TABLE meeting_next_steps (
    meeting_id BLOB NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    ordinal    INTEGER NOT NULL,
    case_id    BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    due_on     TEXT,
    PRIMARY KEY (meeting_id, ordinal)
);
CREATE INDEX meeting_next_steps_due ON meeting_next_steps (due_on, case_id);

INSERT INTO meeting_next_steps (meeting_id, ordinal, case_id, text, due_on)
SELECT m.id, CAST(j.key AS INTEGER) + 1, m.case_id, json_extract(j.value, '$.text'), json_extract(j.value, '$.due_on')
FROM meetings m, json_each(m.next_steps) j;
CREATE INDEX cases_published_stage ON cases (published, stage);
