-- Upcoming meetings across all cases (dashboard, calendars) are found by date.
CREATE INDEX meetings_date ON meetings (meeting_date, case_id);
CREATE INDEX case_history_at ON case_history (at DESC, id DESC);
