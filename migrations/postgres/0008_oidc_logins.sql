-- OpenID Connect sign-in (issue 4, ADR 0009): which provider an account's subject belongs to,
-- and the sign-ins in flight between the redirect to the provider and its answer.
-- Keep in lockstep with ../sqlite/0008_oidc_logins.sql.

-- users.oidc_subject (0004) is the provider's `sub`; it only means something together with
-- the issuer that said it.
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;

-- One row per sign-in started at /masuk/sso, found by the SHA-256 of the random id in its
-- short-lived cookie. Taken (deleted) by the callback, so it is used at most once; refused
-- after expires_at, and rows left behind are deleted when the next sign-in starts.
CREATE TABLE oidc_logins (
    id_hash       TEXT PRIMARY KEY,
    state         TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);
