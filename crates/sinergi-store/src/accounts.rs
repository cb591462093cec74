//! Accounts: users with argon2id password hashes, browser sessions and API tokens (both
//! stored as SHA-256 of the secret), lockout after failed sign-ins, and the per-case facts the
//! permission check needs (parties, publication, the OPDs involved), plus one side's private
//! notes.

use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::Serialize;
use sinergi_domain::access::{Actor, Principal, Role};
use sinergi_domain::audit::{hex, sha256_hex};
use sinergi_domain::ids::{CaseId, NoteId, OfficialId, TokenId, UserId};
use sinergi_domain::{DomainError, FieldError};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

mod admin;
mod oidc;
pub use admin::AccountChange;
pub use oidc::{OidcIdentity, OidcOutcome, PendingOidcLogin};

/// A user account as shown (never with its hash).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub region: Option<String>,
    pub unit: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub roles: Vec<Role>,
    /// The official record this account belongs to (a kepala daerah's own account): only it
    /// signs electronically as that official.
    #[schema(value_type = Option<String>)]
    pub official: Option<OfficialId>,
    pub language: String,
    pub disabled: bool,
    /// A password an admin set: the user changes it at the next sign-in.
    pub must_change_password: bool,
    /// Changes with every edit; an edit names the version it started from.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl User {
    /// The principal this user acts as.
    #[must_use]
    pub fn principal(&self, can_write: bool, csrf: Option<String>) -> Principal {
        Principal {
            user_id: Some(self.id.0),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            region: self.region.clone(),
            unit: self.unit.clone(),
            roles: self.roles.clone(),
            can_write,
            csrf,
            on_behalf_of: None,
            official: self.official.map(|o| o.0),
            language: Some(self.language.clone()),
        }
    }
}

/// A new account.
#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: Option<String>,
    pub email: Option<String>,
    pub region: Option<String>,
    pub unit: Option<String>,
    pub roles: Vec<Role>,
    pub language: Option<String>,
    /// The official record the account belongs to (a kepala daerah's own account).
    pub official: Option<OfficialId>,
}

/// Sign-in policy, from the settings.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub max_failures: i32,
    pub lockout: Duration,
    pub session_ttl: Duration,
    /// Argon2 memory cost in KiB (OWASP: 19456) and iterations (2).
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        Self {
            max_failures: 5,
            lockout: Duration::minutes(15),
            session_ttl: Duration::hours(12),
            argon2_memory_kib: 19_456,
            argon2_iterations: 2,
        }
    }
}

impl LoginPolicy {
    fn hasher(&self) -> Argon2<'static> {
        let params = Params::new(self.argon2_memory_kib, self.argon2_iterations, 1, None)
            .unwrap_or_default();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }

    /// An argon2id PHC string for a password.
    ///
    /// # Errors
    /// A password outside the policy.
    pub fn hash_password(&self, password: &str) -> Result<String, StoreError> {
        check_password(password)?;
        let salt_bytes: [u8; 16] = rand::random();
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| StoreError::Config(format!("password hashing: {e}")))?;
        self.hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Config(format!("password hashing: {e}")))
    }
}

fn check_password(p: &str) -> Result<(), DomainError> {
    let n = p.chars().count();
    if n < 10 {
        return Err(DomainError::Validation(vec![FieldError::new(
            "password",
            "too_short",
            "Kata sandi paling sedikit 10 karakter.",
            "The password must have at least 10 characters.",
        )]));
    }
    if n > 256 {
        return Err(DomainError::Validation(vec![FieldError::too_long(
            "password", 256,
        )]));
    }
    Ok(())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// SHA-256 of a secret, hex.
#[must_use]
pub fn secret_hash(secret: &str) -> String {
    sha256_hex(secret.as_bytes())
}

fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    hex(&bytes)
}

/// What a sign-in attempt came to.
#[expect(
    clippy::large_enum_variant,
    reason = "one value per sign-in; boxing the user buys nothing"
)]
#[derive(Debug, Clone)]
pub enum LoginOutcome {
    Ok(User),
    /// Unknown user or wrong password (never said which).
    Wrong,
    /// Too many failures: locked until the instant.
    Locked(OffsetDateTime),
    Disabled,
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: TokenId,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<OffsetDateTime>,
}

/// What the permission check needs to know about a case.
#[derive(Debug, Clone, Default)]
pub struct CaseAccess {
    /// Party regions, initiator first.
    pub parties: Vec<String>,
    pub published: bool,
    /// The offer has reached the other parties (before, only the initiator sees the case).
    pub offered: bool,
    /// (region, OPD) pairs involved.
    pub units: Vec<(String, String)>,
}

impl CaseAccess {
    /// Whether a user's OPD is involved in the case.
    #[must_use]
    pub fn involves_unit(&self, p: &Principal) -> bool {
        match (&p.region, &p.unit) {
            (Some(r), Some(u)) => self
                .units
                .iter()
                .any(|(rr, uu)| rr == r && uu.eq_ignore_ascii_case(u)),
            _ => false,
        }
    }
}

/// A note being written by one side.
#[derive(Debug, Clone, Copy)]
pub struct NewNote<'a> {
    /// The writing side's region.
    pub region: &'a str,
    /// `note`, `tkksd_review` or `dprd_paper`.
    pub kind: &'a str,
    pub body: &'a str,
    pub shared: bool,
}

/// One side's private note on a case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Note {
    pub id: NoteId,
    pub case_id: CaseId,
    pub region: String,
    /// `note`, `tkksd_review` or `dprd_paper`.
    pub kind: String,
    pub body: String,
    pub shared: bool,
    pub author: String,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    username: String,
    display_name: String,
    email: Option<String>,
    region_code: Option<String>,
    unit: Option<String>,
    official_id: Option<Uuid>,
    password_hash: Option<String>,
    language: String,
    failed_logins: i32,
    locked_until: Option<OffsetDateTime>,
    sessions_valid_after: OffsetDateTime,
    disabled: bool,
    must_change_password: bool,
    version: i64,
    created_at: OffsetDateTime,
}

const USER_COLS: &str = "id, username, display_name, email, region_code, unit, official_id, password_hash, \
    language, failed_logins, locked_until, sessions_valid_after, disabled, must_change_password, version, created_at";

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: Uuid,
    case_id: Uuid,
    region_code: String,
    kind: String,
    body: String,
    shared: bool,
    author: String,
    version: i64,
    created_at: OffsetDateTime,
}

impl From<NoteRow> for Note {
    fn from(r: NoteRow) -> Self {
        Self {
            id: NoteId(r.id),
            case_id: CaseId(r.case_id),
            region: r.region_code,
            kind: r.kind,
            body: r.body,
            shared: r.shared,
            author: r.author,
            version: r.version,
            created_at: r.created_at,
        }
    }
}

fn validate_user(u: &NewUser) -> Result<(), DomainError> {
    sinergi_domain::account::validate(&sinergi_domain::account::AccountFields {
        username: &u.username,
        display_name: &u.display_name,
        region: u.region.as_deref(),
        unit: u.unit.as_deref(),
        roles: &u.roles,
    })
}

impl Store {
    /// Creates a user.
    ///
    /// # Errors
    /// Field errors, a taken username, an unknown region; database errors.
    pub async fn create_user(
        &self,
        input: &NewUser,
        policy: &LoginPolicy,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        validate_user(input)?;
        if let Some(r) = &input.region {
            let known: Option<String> = on_pool!(&self.db, p => {
                sqlx::query_scalar("SELECT level FROM regions WHERE code = $1").bind(r.as_str()).fetch_optional(p).await?
            });
            match known.as_deref() {
                Some("province" | "regency" | "city") => {}
                Some(_) => return Err(DomainError::NotADaerah(r.clone()).into()),
                None => return Err(DomainError::UnknownRegion(r.clone()).into()),
            }
        }
        let username = input.username.trim().to_owned();
        if self.user_by_name(&username).await?.is_some() {
            return Err(DomainError::Validation(vec![FieldError::new(
                "username",
                "taken",
                format!("Nama pengguna \"{username}\" sudah dipakai."),
                format!("The username \"{username}\" is taken."),
            )])
            .into());
        }
        let hash = input
            .password
            .as_deref()
            .map(|p| policy.hash_password(p))
            .transpose()?;
        let mut roles = input.roles.clone();
        roles.sort();
        roles.dedup();
        let user = User {
            id: UserId::new_v7(now),
            username,
            display_name: if input.display_name.trim().is_empty() {
                input.username.trim().to_owned()
            } else {
                input.display_name.trim().to_owned()
            },
            email: input.email.clone().filter(|e| !e.trim().is_empty()),
            region: input.region.clone(),
            unit: input
                .unit
                .clone()
                .map(|u| u.trim().to_owned())
                .filter(|u| !u.is_empty()),
            roles,
            official: input.official,
            language: input.language.clone().unwrap_or_else(|| "id".to_owned()),
            disabled: false,
            must_change_password: false,
            version: 1,
            created_at: now,
        };
        if let Some(o) = input.official {
            self.check_official_link(o, user.region.as_deref(), None)
                .await?;
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO users (id, username, display_name, email, region_code, unit, official_id, password_hash, oidc_subject, \
                 language, failed_logins, locked_until, sessions_valid_after, disabled, version, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $11, $7, NULL, $8, 0, NULL, $9, $10, 1, $9, $9)",
            )
            .bind(user.id.0).bind(&user.username).bind(&user.display_name).bind(user.email.as_deref())
            .bind(user.region.as_deref()).bind(user.unit.as_deref()).bind(hash.as_deref())
            .bind(&user.language).bind(now).bind(false).bind(user.official.map(|o| o.0))
            .execute(&mut *tx).await?;
            for r in &user.roles {
                sqlx::query("INSERT INTO user_roles (user_id, role) VALUES ($1, $2)")
                    .bind(user.id.0).bind(r.as_str()).execute(&mut *tx).await?;
            }
            append_audit!(tx, actor, now, &Change::new("user.create", "user", user.id).after(&user));
            tx.commit().await?;
        });
        Ok(user)
    }

    async fn user_row_by_name(&self, username: &str) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE username = $1");
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(p).await?
        }))
    }

    async fn user_row(&self, id: Uuid) -> Result<Option<UserRow>, StoreError> {
        let sql = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await?
        }))
    }

    async fn user_of(&self, row: UserRow) -> Result<User, StoreError> {
        let roles: Vec<String> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role").bind(row.id).fetch_all(p).await?
        });
        let roles = roles
            .iter()
            .map(|r| Role::parse(r).map_err(|_| crate::rows::corrupt("role", r)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(User {
            id: UserId(row.id),
            username: row.username,
            display_name: row.display_name,
            email: row.email,
            region: row.region_code,
            unit: row.unit,
            roles,
            official: row.official_id.map(OfficialId),
            language: row.language,
            disabled: row.disabled,
            must_change_password: row.must_change_password,
            version: row.version,
            created_at: row.created_at,
        })
    }

    /// A user by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<User>, StoreError> {
        match self.user_row_by_name(username).await? {
            Some(r) => Ok(Some(self.user_of(r).await?)),
            None => Ok(None),
        }
    }

    /// A user by id.
    ///
    /// # Errors
    /// `user.not_found`; database errors.
    pub async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        match self.user_row(id.0).await? {
            Some(r) => self.user_of(r).await,
            None => Err(DomainError::not_found("user", id).into()),
        }
    }

    /// The users of a region (all users for `None`), by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_users(&self, region: Option<&str>) -> Result<Vec<User>, StoreError> {
        let rows: Vec<UserRow> = match region {
            Some(r) => {
                let sql = format!(
                    "SELECT {USER_COLS} FROM users WHERE region_code = $1 ORDER BY username"
                );
                on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(r).fetch_all(p).await?)
            }
            None => {
                let sql = format!("SELECT {USER_COLS} FROM users ORDER BY username");
                on_pool!(&self.db, p => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?)
            }
        };
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.user_of(r).await?);
        }
        Ok(out)
    }

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
            append_audit!(tx, actor, now, &Change::new("session.sign_out_everywhere", "user", user));
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
            append_audit!(tx, actor, now, &Change::new("user.change_password", "user", user));
            tx.commit().await?;
        });
        Ok(())
    }

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
            append_audit!(tx, actor, now, &Change::new("token.create", "token", info.id).after(&info));
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
            append_audit!(tx, actor, now, &Change::new("token.revoke", "token", t.id).before(&t));
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
    async fn on_behalf_of(
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

    /// The kepala daerah of a region in office on a day (by the recorded terms; a definitive
    /// head before a Pj./Plt., who comes before a Plh.), for "atas nama" entries.
    ///
    /// # Errors
    /// Database errors.
    pub async fn head_in_office(
        &self,
        region: &str,
        day: time::Date,
    ) -> Result<Option<sinergi_domain::official::Official>, StoreError> {
        use sinergi_domain::official::{ActingStatus, OfficeKind};
        let officials = self.officials_of_regions(&[region.to_owned()]).await?;
        let rank = |a: ActingStatus| match a {
            ActingStatus::Definitif => 0,
            ActingStatus::Pj | ActingStatus::Plt => 1,
            ActingStatus::Plh => 2,
        };
        Ok(officials
            .into_iter()
            .filter(|o| o.office == OfficeKind::KepalaDaerah && o.in_office_on(day))
            .min_by_key(|o| (rank(o.acting), std::cmp::Reverse(o.term_start))))
    }

    /// Checks that an account may be linked to an official: the official exists, belongs to
    /// the account's region, and no other account is linked to it.
    async fn check_official_link(
        &self,
        official: OfficialId,
        region: Option<&str>,
        user: Option<UserId>,
    ) -> Result<(), StoreError> {
        let o = self
            .find_official(official)
            .await?
            .ok_or_else(|| DomainError::not_found("official", official))?;
        if region != Some(o.region.as_str()) {
            return Err(DomainError::guard(
                "user.official_other_region",
                format!("{} bukan pejabat daerah akun ini.", o.name),
                format!("{} is not an official of this account's region.", o.name),
            )
            .into());
        }
        let other: Option<(Uuid, String)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, username FROM users WHERE official_id = $1").bind(official.0).fetch_optional(p).await?
        });
        if let Some((id, name)) = other
            && Some(UserId(id)) != user
        {
            return Err(DomainError::guard(
                "user.official_taken",
                format!(
                    "{} sudah ditautkan ke akun {name}; satu pejabat, satu akun.",
                    o.name
                ),
                format!(
                    "{} is already linked to the account {name}; one official, one account.",
                    o.name
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Links an account to its official record (or removes the link), audited. Only the
    /// linked account signs electronically as that official.
    ///
    /// # Errors
    /// An official of another region or already linked; database errors.
    pub async fn link_official(
        &self,
        user: UserId,
        official: Option<OfficialId>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<User, StoreError> {
        let before = self.get_user(user).await?;
        if let Some(o) = official {
            self.check_official_link(o, before.region.as_deref(), Some(user))
                .await?;
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE users SET official_id = $1, updated_at = $2, version = version + 1 WHERE id = $3")
                .bind(official.map(|o| o.0)).bind(now).bind(user.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("user.link_official", "user", user)
                .before(&serde_json::json!({ "official": before.official }))
                .after(&serde_json::json!({ "official": official })));
            tx.commit().await?;
        });
        self.get_user(user).await
    }

    /// Sets a user's preferred language.
    ///
    /// # Errors
    /// An unknown language; database errors.
    pub async fn set_language(
        &self,
        user: UserId,
        language: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if language != "id" && language != "en" {
            return Err(DomainError::Validation(vec![FieldError::new(
                "language",
                "invalid",
                "Bahasa: id atau en.",
                "Language: id or en.",
            )])
            .into());
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE users SET language = $1, updated_at = $2 WHERE id = $3")
                .bind(language).bind(now).bind(user.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("user.set_language", "user", user)
                .after(&serde_json::json!({ "language": language })));
            tx.commit().await?;
        });
        Ok(())
    }

    /// The agencies (OPD) recorded on a case, as (region code, unit).
    ///
    /// # Errors
    /// Database errors.
    pub async fn case_units(&self, id: CaseId) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as("SELECT region_code, unit FROM case_units WHERE case_id = $1").bind(id.0).fetch_all(p).await?
        }))
    }

    /// The facts the permission check needs about a case; `None` if it does not exist.
    ///
    /// # Errors
    /// Database errors.
    pub async fn case_access(&self, id: CaseId) -> Result<Option<CaseAccess>, StoreError> {
        let flags: Option<(bool, bool)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT published, offered FROM cases WHERE id = $1").bind(id.0).fetch_optional(p).await?
        });
        let Some((published, offered)) = flags else {
            return Ok(None);
        };
        let parties: Vec<Option<String>> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT region_code FROM case_parties WHERE case_id = $1 ORDER BY ordinal").bind(id.0).fetch_all(p).await?
        });
        let units = self.case_units(id).await?;
        Ok(Some(CaseAccess {
            parties: parties.into_iter().flatten().collect(),
            published,
            offered,
            units,
        }))
    }

    /// Records an OPD involved in a case on one side.
    ///
    /// # Errors
    /// A region that is not a party; database errors.
    pub async fn add_case_unit(
        &self,
        id: CaseId,
        region: &str,
        unit: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let unit = unit.trim();
        if unit.is_empty() {
            return Err(DomainError::Validation(vec![FieldError::required("unit")]).into());
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO case_units (case_id, region_code, unit) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id.0).bind(region).bind(unit).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("case.add_unit", "case", id).case(id.0)
                .after(&serde_json::json!({ "region": region, "unit": unit })));
            tx.commit().await?;
        });
        Ok(())
    }

    /// Adds one side's private note (or TKKSD review, DPRD paper).
    ///
    /// # Errors
    /// Field errors; database errors.
    pub async fn add_note(
        &self,
        case_id: CaseId,
        input: &NewNote<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Note, StoreError> {
        let NewNote {
            region,
            kind,
            body,
            shared,
        } = *input;
        let mut errs = Vec::new();
        if !["note", "tkksd_review", "dprd_paper"].contains(&kind) {
            errs.push(FieldError::new(
                "kind",
                "invalid",
                "Jenis catatan: note, tkksd_review atau dprd_paper.",
                "Note kind: note, tkksd_review or dprd_paper.",
            ));
        }
        let body = body.trim();
        if body.is_empty() {
            errs.push(FieldError::required("body"));
        } else if body.chars().count() > 20_000 {
            errs.push(FieldError::too_long("body", 20_000));
        }
        if !errs.is_empty() {
            return Err(DomainError::Validation(errs).into());
        }
        let note = Note {
            id: NoteId::new_v7(now),
            case_id,
            region: region.to_owned(),
            kind: kind.to_owned(),
            body: body.to_owned(),
            shared,
            author: actor.label.clone(),
            version: 1,
            created_at: now,
        };
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO case_notes (id, case_id, region_code, kind, body, shared, author_id, author, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)")
                .bind(note.id.0).bind(case_id.0).bind(region).bind(kind).bind(&note.body).bind(shared)
                .bind(actor.user_id).bind(&note.author).bind(now)
                .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("note.create", "note", note.id).case(case_id.0).after(&note));
            tx.commit().await?;
        });
        Ok(note)
    }

    /// Shares (or unshares) a side's note with the partner.
    ///
    /// # Errors
    /// `note.not_found` (also for another side's note); database errors.
    pub async fn share_note(
        &self,
        case_id: CaseId,
        id: NoteId,
        region: &str,
        shared: bool,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Note, StoreError> {
        let before = self
            .list_notes(case_id, Some(region))
            .await?
            .into_iter()
            .find(|n| n.id == id && n.region == region)
            .ok_or_else(|| DomainError::not_found("note", id))?;
        let mut after = before.clone();
        after.shared = shared;
        after.version += 1;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE case_notes SET shared = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(shared).bind(now).bind(id.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("note.share", "note", id).case(case_id.0).before(&before).after(&after));
            tx.commit().await?;
        });
        Ok(after)
    }

    /// The notes a side sees on a case: all of its own, and what other sides shared.
    /// `None` (no side): only shared notes.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_notes(
        &self,
        case_id: CaseId,
        side: Option<&str>,
    ) -> Result<Vec<Note>, StoreError> {
        let rows: Vec<NoteRow> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, case_id, region_code, kind, body, shared, author, version, created_at FROM case_notes \
                            WHERE case_id = $1 AND (shared OR region_code = $2) ORDER BY created_at, id")
                .bind(case_id.0).bind(side.unwrap_or("")).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(Note::from).collect())
    }
}

/// An argon2id hash of a random password, checked against when a username is unknown so
/// that unknown names take as long as wrong passwords.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        LoginPolicy::default()
            .hash_password(&random_hex())
            .unwrap_or_default()
    })
}
