//! Signing in and browser sessions: the password check with lockout, sessions stored as the
//! SHA-256 of their secret, signing out, and changing one's password.

use super::{LoginOutcome, LoginPolicy, dummy_hash, random_hex, secret_hash, verify_password};
use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::{Actor, Principal};
use sinergi_domain::ids::UserId;
use sinergi_domain::{DomainError, FieldError};
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
    /// Checks a password, counting failures and locking the account after too many.
    ///
    /// # Errors
    /// Database errors.
    pub async fn attempt_login(
        &self,
        username: &str,
        password: &str,
        policy: &LoginPolicy,
        request_id: Option<String>,
        now: OffsetDateTime,
    ) -> Result<LoginOutcome, StoreError> {
        let Some(row) = self.user_row_by_name(username.trim()).await? else {
            // An unknown name is counted and locked like an account, so neither the answer
            // nor its timing tells which names exist (issue 16).
            return self
                .unknown_name_attempt(username.trim(), policy, now, || {
                    let _ = verify_password(dummy_hash(), password);
                })
                .await;
        };
        if row.disabled {
            return Ok(LoginOutcome::Disabled);
        }
        if let Some(until) = row.locked_until.filter(|u| *u > now) {
            return Ok(LoginOutcome::Locked(until));
        }
        let ok = row
            .password_hash
            .as_deref()
            .is_some_and(|h| verify_password(h, password));
        let id = row.id;
        let actor = Actor {
            user_id: Some(id),
            label: row.username.clone(),
            request_id,
            ..Actor::default()
        };
        if ok {
            on_pool!(&self.db, p => {
                sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                    .bind(id).execute(p).await?;
            });
            self.audit_only(&actor, &Change::new("session.sign_in", "user", id), now)
                .await?;
            return Ok(LoginOutcome::Ok(self.user_of(row).await?));
        }
        let failures = row.failed_logins + 1;
        let lock = (failures >= policy.max_failures).then(|| now + policy.lockout);
        on_pool!(&self.db, p => {
            sqlx::query("UPDATE users SET failed_logins = $1, locked_until = $2 WHERE id = $3")
                .bind(if lock.is_some() { 0 } else { failures }).bind(lock).bind(id).execute(p).await?;
        });
        if let Some(until) = lock {
            self.audit_only(&actor, &Change::new("user.locked", "user", id), now)
                .await?;
            return Ok(LoginOutcome::Locked(until));
        }
        Ok(LoginOutcome::Wrong)
    }

    /// Opens a browser session; returns (cookie secret, CSRF token).
    ///
    /// # Errors
    /// Database errors.
    pub async fn create_session(
        &self,
        user: UserId,
        policy: &LoginPolicy,
        now: OffsetDateTime,
    ) -> Result<(String, String), StoreError> {
        let secret = random_hex();
        let csrf = random_hex();
        on_pool!(&self.db, p => {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL)")
                .bind(secret_hash(&secret)).bind(user.0).bind(&csrf).bind(now).bind(now + policy.session_ttl)
                .execute(p).await?;
        });
        Ok((secret, csrf))
    }

    /// The principal of a live session cookie.
    ///
    /// # Errors
    /// Database errors.
    pub async fn session_principal(
        &self,
        secret: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Principal>, StoreError> {
        let row: Option<(
            Uuid,
            String,
            OffsetDateTime,
            OffsetDateTime,
            Option<OffsetDateTime>,
        )> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT user_id, csrf_token, created_at, expires_at, revoked_at FROM sessions WHERE token_hash = $1")
                .bind(secret_hash(secret)).fetch_optional(p).await?
        });
        let Some((uid, csrf, created, expires, revoked)) = row else {
            return Ok(None);
        };
        if revoked.is_some() || expires <= now {
            return Ok(None);
        }
        let Some(urow) = self.user_row(uid).await? else {
            return Ok(None);
        };
        if urow.disabled || created < urow.sessions_valid_after {
            return Ok(None);
        }
        let user = self.user_of(urow).await?;
        let mut p = user.principal(true, Some(csrf));
        p.on_behalf_of = self.on_behalf_of(&user, now).await?;
        Ok(Some(p))
    }

    /// Ends one session (sign-out).
    ///
    /// # Errors
    /// Database errors.
    pub async fn end_session(
        &self,
        secret: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let n = on_pool!(&self.db, p => {
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL")
                .bind(now).bind(secret_hash(secret)).execute(p).await?.rows_affected()
        });
        if n > 0
            && let Some(u) = actor.user_id
        {
            self.audit_only(actor, &Change::new("session.sign_out", "user", u), now)
                .await?;
        }
        Ok(())
    }

    /// Ends every session of a user ("keluar dari semua perangkat").
    ///
    /// # Errors
    /// Database errors.
    pub async fn end_all_sessions(
        &self,
        user: UserId,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(now).bind(user.0).execute(&mut *tx).await?;
            sqlx::query("UPDATE users SET sessions_valid_after = $1, updated_at = $1 WHERE id = $2")
                .bind(now).bind(user.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("session.sign_out_everywhere", "user", user))?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Changes a password after checking the current one; ends every other session.
    ///
    /// # Errors
    /// A wrong current password, a new one outside the policy; database errors.
    pub async fn change_password(
        &self,
        user: UserId,
        current: &str,
        new: &str,
        policy: &LoginPolicy,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let row = self
            .user_row(user.0)
            .await?
            .ok_or_else(|| DomainError::not_found("user", user))?;
        if !row
            .password_hash
            .as_deref()
            .is_some_and(|h| verify_password(h, current))
        {
            return Err(DomainError::Validation(vec![FieldError::new(
                "current_password",
                "wrong",
                "Kata sandi saat ini salah.",
                "The current password is wrong.",
            )])
            .into());
        }
        let hash = policy.hash_password(new)?;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE users SET password_hash = $1, must_change_password = FALSE, sessions_valid_after = $2, updated_at = $2, version = version + 1 WHERE id = $3")
                .bind(&hash).bind(now).bind(user.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("user.change_password", "user", user))?;
            tx.commit().await?;
        });
        Ok(())
    }
}
