//! Sign-in failures for names without an account, counted and locked exactly like an
//! account's (issue 16): a real name and an unknown one answer the same — 401, then 429 after
//! `max_failures`, for `lockout` — so lockout does not reveal which user names exist. And the
//! API token's `last_used_at`, written at most every [`TOKEN_USE_RESOLUTION`].

use crate::{LoginOutcome, LoginPolicy, Store, StoreError, on_pool};
use time::{Duration, OffsetDateTime};

/// How stale `api_tokens.last_used_at` may be before a read writes it again.
pub const TOKEN_USE_RESOLUTION: Duration = Duration::minutes(5);

pub(crate) fn token_use_is_stale(last: Option<OffsetDateTime>, now: OffsetDateTime) -> bool {
    last.is_none_or(|t| now - t >= TOKEN_USE_RESOLUTION || t > now)
}

fn name_key(name: &str) -> String {
    name.trim().to_lowercase().chars().take(200).collect()
}

impl Store {
    /// A sign-in attempt with a name that has no account; `spend` is the password check's
    /// cost (a hash of a dummy), paid exactly where a real account pays it.
    pub(crate) async fn unknown_name_attempt(
        &self,
        name: &str,
        policy: &LoginPolicy,
        now: OffsetDateTime,
        spend: impl FnOnce(),
    ) -> Result<LoginOutcome, StoreError> {
        let key = name_key(name);
        let row: Option<(i32, Option<OffsetDateTime>)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT failures, locked_until FROM login_failures WHERE name_key = $1")
                .bind(&key).fetch_optional(p).await?
        });
        let (failures, locked) = row.unwrap_or((0, None));
        if let Some(until) = locked.filter(|u| *u > now) {
            return Ok(LoginOutcome::Locked(until));
        }
        spend();
        let failures = failures + 1;
        let lock = (failures >= policy.max_failures).then(|| now + policy.lockout);
        on_pool!(&self.db, p => {
            sqlx::query("INSERT INTO login_failures (name_key, failures, locked_until, updated_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at")
                .bind(&key).bind(if lock.is_some() { 0 } else { failures }).bind(lock).bind(now).execute(p).await?;
            // Names not tried for a day are forgotten.
            sqlx::query("DELETE FROM login_failures WHERE updated_at < $1").bind(now - Duration::days(1)).execute(p).await?;
        });
        Ok(lock.map_or(LoginOutcome::Wrong, LoginOutcome::Locked))
    }
}
