//! OpenID Connect sign-in (ADR 0009): the sign-ins in flight between the redirect to the
//! provider and its answer (single use, short-lived), and the mapping of a provider's subject
//! to an account. Accounts are never created here: the region's administrator makes them, and
//! the first SSO sign-in links the account whose user name the provider asserts.

use super::{User, random_hex, secret_hash};
use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use time::OffsetDateTime;
use uuid::Uuid;

/// A sign-in in flight: what the callback checks the provider's answer against.
#[derive(Debug, Clone)]
pub struct PendingOidcLogin {
    /// The `state` sent to the provider (CSRF protection of the callback).
    pub state: String,
    /// The `nonce` the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier the code exchange must present.
    pub pkce_verifier: String,
    pub expires_at: OffsetDateTime,
}

/// Who the provider says signed in (after the ID token was verified).
#[derive(Debug, Clone, Copy)]
pub struct OidcIdentity<'a> {
    /// The issuer URL as configured.
    pub issuer: &'a str,
    /// The `sub` claim: stable and unique at that issuer.
    pub subject: &'a str,
    /// The value of the configured user-name claim, when the token carries it.
    pub username: Option<&'a str>,
}

/// What an SSO sign-in came to.
#[expect(
    clippy::large_enum_variant,
    reason = "one value per sign-in; boxing the user buys nothing"
)]
#[derive(Debug, Clone)]
pub enum OidcOutcome {
    /// Signed in. `linked`: this sign-in linked the account to the subject.
    Ok {
        user: User,
        linked: bool,
    },
    /// No account is linked to the subject and none has the asserted user name (lower-cased),
    /// or the token carries no user name.
    Unregistered {
        username: Option<String>,
    },
    /// The account of that user name is already linked to another subject of this issuer.
    LinkedToOther {
        username: String,
    },
    Disabled,
    /// Locked after failed password sign-ins, until the instant.
    Locked(OffsetDateTime),
}

/// The user name an asserted claim value stands for: account names are lower-case.
fn normalised(claim: Option<&str>) -> Option<String> {
    claim
        .map(|c| c.trim().to_lowercase())
        .filter(|c| !c.is_empty())
}

impl Store {
    /// Records a sign-in that is being sent to the provider; returns the random id for its
    /// cookie (only its SHA-256 is stored). Deletes sign-ins that expired unused.
    ///
    /// # Errors
    /// Database errors.
    pub async fn begin_oidc_login(
        &self,
        login: &PendingOidcLogin,
        now: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let id = random_hex();
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("DELETE FROM oidc_logins WHERE expires_at <= $1")
                .bind(now).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO oidc_logins (id_hash, state, nonce, pkce_verifier, created_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(secret_hash(&id)).bind(&login.state).bind(&login.nonce).bind(&login.pkce_verifier)
                .bind(now).bind(login.expires_at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Takes the sign-in of a cookie id: deletes it and returns it unless it has expired. A
    /// second call with the same id finds nothing, whichever request came first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn take_oidc_login(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<PendingOidcLogin>, StoreError> {
        let row: Option<(String, String, String, OffsetDateTime)> = on_pool!(&self.db, p => {
            sqlx::query_as("DELETE FROM oidc_logins WHERE id_hash = $1 RETURNING state, nonce, pkce_verifier, expires_at")
                .bind(secret_hash(id)).fetch_optional(p).await?
        });
        Ok(row
            .filter(|r| r.3 > now)
            .map(
                |(state, nonce, pkce_verifier, expires_at)| PendingOidcLogin {
                    state,
                    nonce,
                    pkce_verifier,
                    expires_at,
                },
            ))
    }

    /// Signs in the account of a verified provider identity: the account linked to the
    /// subject, else the active account named by the user-name claim that is not linked to
    /// this issuer yet (it is linked now, audited in the same transaction). Nobody else:
    /// accounts are made by administrators, never here.
    ///
    /// Like [`Store::attempt_login`], the actor of the audit entries is the account that signs
    /// in, which is only known here.
    ///
    /// # Errors
    /// `Conflict` when the account changed while it was being linked; database errors.
    pub async fn oidc_sign_in(
        &self,
        who: &OidcIdentity<'_>,
        request_id: Option<String>,
        now: OffsetDateTime,
    ) -> Result<OidcOutcome, StoreError> {
        let by_subject: Option<Uuid> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT id FROM users WHERE oidc_issuer = $1 AND oidc_subject = $2")
                .bind(who.issuer).bind(who.subject).fetch_optional(p).await?
        });
        let (row, link) = if let Some(id) = by_subject {
            match self.user_row(id).await? {
                Some(row) => (row, None),
                None => return Ok(OidcOutcome::Unregistered { username: None }),
            }
        } else {
            let Some(name) = normalised(who.username) else {
                return Ok(OidcOutcome::Unregistered { username: None });
            };
            let Some(row) = self.user_row_by_name(&name).await? else {
                return Ok(OidcOutcome::Unregistered {
                    username: Some(name),
                });
            };
            let (issuer, subject, version): (Option<String>, Option<String>, i64) = on_pool!(&self.db, p => {
                sqlx::query_as("SELECT oidc_issuer, oidc_subject, version FROM users WHERE id = $1")
                    .bind(row.id).fetch_one(p).await?
            });
            if subject.is_some() && issuer.as_deref() == Some(who.issuer) {
                return Ok(OidcOutcome::LinkedToOther { username: name });
            }
            (row, Some((issuer, subject, version)))
        };
        if row.disabled {
            return Ok(OidcOutcome::Disabled);
        }
        if let Some(until) = row.locked_until.filter(|u| *u > now) {
            return Ok(OidcOutcome::Locked(until));
        }
        let actor = Actor {
            user_id: Some(row.id),
            label: row.username.clone(),
            request_id,
            ..Actor::default()
        };
        let id = row.id;
        let linked = link.is_some();
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            if let Some((old_issuer, old_subject, version)) = &link {
                let n = sqlx::query("UPDATE users SET oidc_issuer = $1, oidc_subject = $2, version = version + 1, updated_at = $3 \
                                     WHERE id = $4 AND version = $5")
                    .bind(who.issuer).bind(who.subject).bind(now).bind(id).bind(*version)
                    .execute(&mut *tx).await?.rows_affected();
                if n == 0 {
                    return Err(StoreError::Conflict(format!("user {id} changed while being linked")));
                }
                let change = Change::new("user.link_oidc", "user", id)
                    .before(&serde_json::json!({ "oidc_issuer": old_issuer, "oidc_subject": old_subject }))
                    .after(&serde_json::json!({ "oidc_issuer": who.issuer, "oidc_subject": who.subject }));
                append_audit!(tx, &actor, now, &change)?;
            }
            append_audit!(tx, &actor, now, &Change::new("session.sign_in_oidc", "user", id))?;
            tx.commit().await?;
        });
        Ok(OidcOutcome::Ok {
            user: self.user_of(row).await?,
            linked,
        })
    }
}

impl Store {
    /// Unlinks an account from its single sign-on identity (a wrong link, a person who left
    /// the provider): the next SSO sign-in links by user name again. The account's sessions
    /// end, in the same transaction as the audited change. Returns the issuer it was linked
    /// to.
    ///
    /// # Errors
    /// `Conflict` when the account is not linked; database errors.
    pub async fn unlink_oidc(
        &self,
        user: super::UserId,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let (issuer, subject): (Option<String>, Option<String>) = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT oidc_issuer, oidc_subject FROM users WHERE id = $1")
                .bind(user.0).fetch_optional(p).await?
        })
        .ok_or_else(|| StoreError::Conflict(format!("user {} not found", user.0)))?;
        let Some(subject) = subject else {
            return Err(StoreError::Conflict(
                "akun ini tidak tertaut ke identitas SSO (the account is not linked)".into(),
            ));
        };
        let change = Change::new("user.unlink_oidc", "user", user)
            .before(&serde_json::json!({ "oidc_issuer": issuer, "oidc_subject": subject }))
            .after(&serde_json::json!({ "oidc_issuer": null, "oidc_subject": null }));
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE users SET oidc_issuer = NULL, oidc_subject = NULL, sessions_valid_after = $1, \
                         version = version + 1, updated_at = $1 WHERE id = $2")
                .bind(now).bind(user.0).execute(&mut *tx).await?;
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(now).bind(user.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(issuer.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::normalised;

    #[test]
    fn asserted_user_names_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalised(Some("  Budi.Santoso ")).as_deref(),
            Some("budi.santoso")
        );
        assert_eq!(normalised(Some("   ")), None);
        assert_eq!(normalised(None), None);
    }
}
