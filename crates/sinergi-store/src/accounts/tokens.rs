//! API tokens: created with a scope and an expiry, stored as the SHA-256 of the secret,
//! listed, revoked, and resolved to the principal they act for.

use super::{TokenInfo, User, random_hex, secret_hash};
use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::{Actor, Principal, Role};
use sinergi_domain::ids::{TokenId, UserId};
use sinergi_domain::{DomainError, FieldError};
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
    /// Creates an API token; returns it with its secret (shown once).
    ///
    /// # Errors
    /// Unknown scopes, a name in use; database errors.
    pub async fn create_token(
        &self,
        user: UserId,
        name: &str,
        scopes: &[String],
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(TokenInfo, String), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(DomainError::Validation(vec![FieldError::new(
                "name",
                "invalid",
                "Nama token wajib diisi (paling banyak 100 karakter).",
                "The token name is required (at most 100 characters).",
            )])
            .into());
        }
        for s in scopes {
            if s != "read" && s != "write" {
                return Err(DomainError::Validation(vec![FieldError::new(
                    "scopes",
                    "unknown_scope",
                    format!("Cakupan \"{s}\" tidak dikenal: gunakan read atau write."),
                    format!("Unknown scope \"{s}\": use read or write."),
                )])
                .into());
            }
        }
        let taken = self.list_tokens(user).await?.iter().any(|t| t.name == name);
        if taken {
            return Err(DomainError::Validation(vec![FieldError::new(
                "name",
                "taken",
                format!("Token bernama \"{name}\" sudah ada."),
                format!("A token named \"{name}\" already exists."),
            )])
            .into());
        }
        let secret = format!("snrg_{}", random_hex());
        let mut scopes: Vec<String> = if scopes.is_empty() {
            vec!["read".into(), "write".into()]
        } else {
            scopes.to_vec()
        };
        scopes.sort();
        scopes.dedup();
        let info = TokenInfo {
            id: TokenId::new_v7(now),
            name: name.to_owned(),
            prefix: secret[..13].to_owned(),
            scopes,
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO api_tokens (id, user_id, name, prefix, token_hash, scopes, created_at, expires_at, last_used_at, revoked_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL)")
                .bind(info.id.0).bind(user.0).bind(&info.name).bind(&info.prefix).bind(secret_hash(&secret))
                .bind(info.scopes.join(",")).bind(now)
                .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("token.create", "token", info.id).after(&info))?;
            tx.commit().await?;
        });
        Ok((info, secret))
    }

    /// A user's tokens, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_tokens(&self, user: UserId) -> Result<Vec<TokenInfo>, StoreError> {
        type Row = (
            Uuid,
            String,
            String,
            String,
            OffsetDateTime,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
        );
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, name, prefix, scopes, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC")
                .bind(user.0).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(
                |(id, name, prefix, scopes, created_at, last_used_at, revoked_at)| TokenInfo {
                    id: TokenId(id),
                    name,
                    prefix,
                    scopes: scopes.split(',').map(str::to_owned).collect(),
                    created_at,
                    last_used_at,
                    revoked_at,
                },
            )
            .collect())
    }

    /// Revokes a user's token by name.
    ///
    /// # Errors
    /// `token.not_found`; database errors.
    pub async fn revoke_token(
        &self,
        user: UserId,
        name: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<TokenInfo, StoreError> {
        let t = self
            .list_tokens(user)
            .await?
            .into_iter()
            .find(|t| t.name == name.trim() && t.revoked_at.is_none())
            .ok_or_else(|| DomainError::not_found("token", name.trim()))?;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2")
                .bind(now).bind(t.id.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("token.revoke", "token", t.id).before(&t))?;
            tx.commit().await?;
        });
        Ok(t)
    }

    /// The principal of a live API token.
    ///
    /// # Errors
    /// Database errors.
    pub async fn token_principal(
        &self,
        secret: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Principal>, StoreError> {
        type Row = (
            Uuid,
            Uuid,
            String,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
            Option<OffsetDateTime>,
        );
        let row: Option<Row> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, user_id, scopes, expires_at, revoked_at, last_used_at FROM api_tokens WHERE token_hash = $1")
                .bind(secret_hash(secret)).fetch_optional(p).await?
        });
        let Some((id, uid, scopes, expires, revoked, last_used)) = row else {
            return Ok(None);
        };
        if revoked.is_some() || expires.is_some_and(|e| e <= now) {
            return Ok(None);
        }
        let Some(urow) = self.user_row(uid).await? else {
            return Ok(None);
        };
        if urow.disabled {
            return Ok(None);
        }
        // Written at most every few minutes, not on every read (issue 16).
        if crate::login_throttle::token_use_is_stale(last_used, now) {
            on_pool!(&self.db, p => {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(p).await?;
            });
        }
        let user = self.user_of(urow).await?;
        let mut p = user.principal(scopes.split(',').any(|s| s == "write"), None);
        p.on_behalf_of = self.on_behalf_of(&user, now).await?;
        Ok(Some(p))
    }

    /// For staff acting for the kepala daerah: the kepala daerah in office ("Gubernur
    /// Kalimantan Tengah Sugianto Sabran"), or the office's name when none is recorded.
    pub(super) async fn on_behalf_of(
        &self,
        user: &User,
        now: OffsetDateTime,
    ) -> Result<Option<String>, StoreError> {
        if !user.roles.contains(&Role::KepalaDaerahStaff) {
            return Ok(None);
        }
        let Some(region) = &user.region else {
            return Ok(None);
        };
        let head = self
            .head_in_office(region, crate::cases::today(now))
            .await?;
        Ok(Some(match head {
            Some(o) => format!("{} {}", o.title(), o.name),
            None => format!("Kepala Daerah {region}"),
        }))
    }
}
