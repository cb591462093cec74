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
mod case_access;
mod notes;
mod official_link;
mod oidc;
mod sessions;
mod tokens;
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
            .map_err(|e| StoreError::PasswordHash(e.to_string()))?;
        self.hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| StoreError::PasswordHash(e.to_string()))
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
        let unit = match (&input.region, input.unit.as_deref()) {
            (Some(region), typed) => self.canonical_opt_unit(region, "unit", typed).await?,
            (None, typed) => typed
                .map(str::trim)
                .filter(|u| !u.is_empty())
                .map(str::to_owned),
        };
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
            unit,
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
            append_audit!(tx, actor, now, &Change::new("user.create", "user", user.id).after(&user))?;
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
                .after(&serde_json::json!({ "language": language })))?;
            tx.commit().await?;
        });
        Ok(())
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
