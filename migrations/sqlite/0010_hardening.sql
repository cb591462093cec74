-- Issue 16. The readiness probe's scratch row: /ready writes and deletes it in one committed
-- transaction, so a full disk or a read-only database shows as 503.
CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    filler BLOB NOT NULL
);

-- Failed sign-ins per user name, whether or not an account has that name: lockout looks the
-- same for every name, so it does not tell which names exist.
CREATE TABLE login_failures (
    name_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    locked_until TEXT,
    updated_at TEXT NOT NULL
);
