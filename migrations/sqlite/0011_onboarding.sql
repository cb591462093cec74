-- Issue 13. An admin resets a password to a temporary one the user must change at the next
-- sign-in; a notification of an act reaches each user once (one row per user and event).
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE notifications ADD COLUMN event_key TEXT;
CREATE UNIQUE INDEX notifications_event ON notifications (user_id, event_key);
