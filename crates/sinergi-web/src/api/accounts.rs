//! Accounts over the API: one's own account and tokens, a region's users, a side's private
//! notes on a case, the OPDs involved, and the audit trails.

use crate::api::dto::Items;
use crate::auth::Access;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Who, Writer};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::access::Role;
use sinergi_domain::ids::{CaseId, NoteId, UserId};
use sinergi_store::{AccountChange, AuditEntry, AuditScope, NewUser, Note, TokenInfo, User};

type Err = crate::error::ErrorEnvelope;

/// The caller.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    pub region: Option<String>,
    pub unit: Option<String>,
    pub roles: Vec<String>,
    pub can_write: bool,
}

fn user_id(access: &Access) -> Result<UserId, ApiError> {
    access
        .principal
        .user_id
        .map(UserId)
        .ok_or(ApiError::Forbidden { perm: "account" })
}

/// Who the caller is.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Err)))]
pub async fn me(access: Access) -> Json<Me> {
    let p = access.principal;
    Json(Me {
        username: p.username,
        display_name: p.display_name,
        region: p.region,
        unit: p.unit,
        roles: p.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        can_write: p.can_write,
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Changes the caller's password; every session ends.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "accounts", request_body = PasswordChange,
    security(("bearer" = [])), responses((status = 204), (status = 422, body = Err)))]
pub async fn change_password(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
    ApiJson(b): ApiJson<PasswordChange>,
) -> Result<StatusCode, ApiError> {
    let uid = user_id(&access)?;
    state
        .store
        .change_password(
            uid,
            &b.current,
            &b.new,
            &state.settings.login,
            &actor,
            state.clock.now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every browser session of the caller.
#[utoipa::path(post, path = "/api/v1/me/sign-out-everywhere", tag = "accounts",
    security(("bearer" = [])), responses((status = 204)))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
) -> Result<StatusCode, ApiError> {
    let uid = user_id(&access)?;
    state
        .store
        .end_all_sessions(uid, &actor, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "accounts", security(("bearer" = [])),
    params(crate::api::Paging), responses((status = 200, body = Items<TokenInfo>)))]
pub async fn list_tokens(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    access: Access,
) -> Result<Json<Items<TokenInfo>>, ApiError> {
    let page = paging.resolve()?;
    let uid = user_id(&access)?;
    Ok(Json(Items::paged(
        page,
        state.store.list_tokens(uid).await?,
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    pub name: String,
    /// `read`, `write` (default both).
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub info: TokenInfo,
    /// The secret, shown this once.
    pub token: String,
}

/// Creates an API token for the caller.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "accounts", request_body = NewToken,
    security(("bearer" = [])), responses((status = 201, body = CreatedToken), (status = 422, body = Err)))]
pub async fn create_token(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
    ApiJson(b): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    let uid = user_id(&access)?;
    let (info, token) = state
        .store
        .create_token(uid, &b.name, &b.scopes, &actor, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { info, token })))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{name}", tag = "accounts", params(("name" = String, Path)),
    security(("bearer" = [])), responses((status = 204), (status = 404, body = Err)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let uid = user_id(&access)?;
    state
        .store
        .revoke_token(uid, &name, &actor, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's own actions in the audit log, newest first.
#[utoipa::path(get, path = "/api/v1/me/audit", tag = "audit", security(("bearer" = [])),
    params(crate::api::Paging), responses((status = 200, body = Items<AuditEntry>)))]
pub async fn my_audit(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    access: Access,
) -> Result<Json<Items<AuditEntry>>, ApiError> {
    let page = paging.resolve()?;
    let uid = user_id(&access)?;
    Ok(Json(Items::from(
        state
            .store
            .audit_page(AuditScope::User(uid.0), page.0, page.1)
            .await?,
    )))
}

/// A user's actions in the audit log (the user's region's admin, overseers).
#[utoipa::path(get, path = "/api/v1/users/{uid}/audit", tag = "audit", params(crate::api::Paging, ("uid" = UserId, Path)),
    security(("bearer" = [])), responses((status = 200, body = Items<AuditEntry>), (status = 403, body = Err)))]
pub async fn user_audit(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    ApiPath(uid): ApiPath<UserId>,
) -> Result<Json<Items<AuditEntry>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::from(
        state
            .store
            .audit_page(AuditScope::User(uid.0), page.0, page.1)
            .await?,
    )))
}

/// A case's audit trail, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/audit", tag = "audit", params(crate::api::Paging, ("id" = CaseId, Path)),
    security(("bearer" = [])), responses((status = 200, body = Items<AuditEntry>), (status = 404, body = Err)))]
pub async fn case_audit(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<AuditEntry>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::from(
        state
            .store
            .audit_page(AuditScope::Case(id.0), page.0, page.1)
            .await?,
    )))
}

/// The accounts of a region (its own admin; the operator).
#[utoipa::path(get, path = "/api/v1/regions/{code}/users", tag = "accounts", params(crate::api::Paging, ("code" = String, Path)),
    security(("bearer" = [])), responses((status = 200, body = Items<User>), (status = 403, body = Err)))]
pub async fn list_users(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Items<User>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::paged(
        page,
        state.app.region_accounts(&who, &code).await?,
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewUserBody {
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    pub password: String,
    pub email: Option<String>,
    pub unit: Option<String>,
    pub roles: Vec<String>,
    /// The official record the account belongs to (a kepala daerah's own account, which
    /// alone signs electronically as that official).
    pub official: Option<sinergi_domain::ids::OfficialId>,
}

/// Creates an account in the region (its own admin; the operator). A province admin does not
/// create its kabupaten/kota's accounts: each has its own Bagian Kerja Sama.
#[utoipa::path(post, path = "/api/v1/regions/{code}/users", tag = "accounts", params(("code" = String, Path)),
    request_body = NewUserBody, security(("bearer" = [])),
    responses((status = 201, body = User), (status = 403, body = Err), (status = 422, body = Err)))]
pub async fn create_user(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<NewUserBody>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let roles = parse_roles(&b.roles)?;
    let user = state
        .app
        .create_account(
            &who,
            &code,
            &NewUser {
                username: b.username,
                display_name: b.display_name,
                password: Some(b.password),
                email: b.email,
                region: Some(code.clone()),
                unit: b.unit,
                roles,
                language: None,
                official: b.official,
            },
            &state.settings.login,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

fn parse_roles(roles: &[String]) -> Result<Vec<Role>, ApiError> {
    Ok(roles
        .iter()
        .map(|r| Role::parse(r))
        .collect::<Result<Vec<_>, _>>()?)
}

/// A change to an account; absent fields stay as they are.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct UserPatch {
    /// The version the edit started from (`version` of the account); a stale edit gets 409.
    pub version: Option<i64>,
    pub display_name: Option<String>,
    /// An empty string removes the address.
    pub email: Option<String>,
    /// An empty string removes the unit (OPD).
    pub unit: Option<String>,
    /// The account's roles, replacing the present ones.
    pub roles: Option<Vec<String>>,
    /// `true` deactivates the account (its sessions end); `false` reactivates it.
    pub disabled: Option<bool>,
    /// The official record the account belongs to; `null` removes the link.
    #[serde(default, deserialize_with = "crate::api::dto::double_option")]
    #[schema(value_type = Option<String>, format = Uuid)]
    pub official: Option<Option<sinergi_domain::ids::OfficialId>>,
}

/// Changes an account of the caller's region: details, roles, deactivation (its own admin;
/// the operator). An admin cannot deactivate itself or take its own admin role.
#[utoipa::path(patch, path = "/api/v1/users/{uid}", tag = "accounts", params(("uid" = UserId, Path)),
    request_body = UserPatch, security(("bearer" = [])),
    responses((status = 200, body = User), (status = 403, body = Err), (status = 404, body = Err),
        (status = 409, body = Err), (status = 422, body = Err)))]
pub async fn patch_user(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(uid): ApiPath<UserId>,
    ApiJson(b): ApiJson<UserPatch>,
) -> Result<Json<User>, ApiError> {
    let change = AccountChange {
        display_name: b.display_name,
        email: b.email,
        unit: b.unit,
        roles: b.roles.as_deref().map(parse_roles).transpose()?,
        disabled: b.disabled,
        official: b.official,
    };
    Ok(Json(
        state
            .app
            .update_account(&who, uid, &change, b.version)
            .await?,
    ))
}

/// A temporary password, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct TemporaryPassword {
    pub username: String,
    /// Give it to the user in person; the next sign-in asks for a new password.
    pub temporary_password: String,
}

/// Resets the password of an account of the caller's region to a temporary one: the user's
/// sessions end and the next sign-in asks for a new password.
#[utoipa::path(post, path = "/api/v1/users/{uid}/password-reset", tag = "accounts", params(("uid" = UserId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = TemporaryPassword), (status = 403, body = Err), (status = 404, body = Err),
        (status = 422, body = Err)))]
pub async fn reset_user_password(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(uid): ApiPath<UserId>,
) -> Result<Json<TemporaryPassword>, ApiError> {
    let (user, temporary_password) = state
        .app
        .reset_account_password(&who, uid, &state.settings.login)
        .await?;
    Ok(Json(TemporaryPassword {
        username: user.username,
        temporary_password,
    }))
}

/// The notes the caller's side sees: its own and what the partner shared.
#[utoipa::path(get, path = "/api/v1/cases/{id}/notes", tag = "notes", params(crate::api::Paging, ("id" = CaseId, Path)),
    security(("bearer" = [])), responses((status = 200, body = Items<Note>), (status = 403, body = Err)))]
pub async fn list_notes(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    access: Access,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Note>>, ApiError> {
    let page = paging.resolve()?;
    let side = access.principal.region.clone();
    Ok(Json(Items::paged(
        page,
        state.store.list_notes(id, side.as_deref()).await?,
    )))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewNote {
    /// `note`, `tkksd_review` or `dprd_paper`.
    pub kind: String,
    pub body: String,
    #[serde(default)]
    pub shared: bool,
}

fn side(access: &Access) -> Result<String, ApiError> {
    access
        .principal
        .region
        .clone()
        .ok_or(ApiError::Forbidden { perm: "note_write" })
}

/// Writes a note on the caller's side (private unless `shared`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "notes", params(("id" = CaseId, Path)),
    request_body = NewNote, security(("bearer" = [])),
    responses((status = 201, body = Note), (status = 403, body = Err), (status = 422, body = Err)))]
pub async fn create_note(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(b): ApiJson<NewNote>,
) -> Result<(StatusCode, Json<Note>), ApiError> {
    let region = side(&access)?;
    let n = state
        .store
        .add_note(
            id,
            &sinergi_store::NewNote {
                region: &region,
                kind: &b.kind,
                body: &b.body,
                shared: b.shared,
            },
            &actor,
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(n)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ShareNote {
    pub shared: bool,
}

/// Shares (or stops sharing) one of the side's notes with the partner.
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes/{note_id}/share", tag = "notes",
    params(("id" = CaseId, Path), ("note_id" = NoteId, Path)), request_body = ShareNote,
    security(("bearer" = [])), responses((status = 200, body = Note), (status = 404, body = Err)))]
pub async fn share_note(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
    ApiPath((id, note_id)): ApiPath<(CaseId, NoteId)>,
    ApiJson(b): ApiJson<ShareNote>,
) -> Result<Json<Note>, ApiError> {
    let region = side(&access)?;
    Ok(Json(
        state
            .store
            .share_note(id, note_id, &region, b.shared, &actor, state.clock.now())
            .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CaseUnit {
    /// The party region the OPD belongs to.
    pub region: String,
    /// The OPD's name.
    pub unit: String,
}

/// Records an OPD involved in the case (its implementers then see it).
#[utoipa::path(post, path = "/api/v1/cases/{id}/units", tag = "cases", params(("id" = CaseId, Path)),
    request_body = CaseUnit, security(("bearer" = [])),
    responses((status = 204), (status = 422, body = Err)))]
pub async fn add_unit(
    State(state): State<AppState>,
    access: Access,
    Writer(actor): Writer,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(b): ApiJson<CaseUnit>,
) -> Result<StatusCode, ApiError> {
    let parties = access.case.map(|c| c.parties).unwrap_or_default();
    if !parties.contains(&b.region) {
        return Err(sinergi_domain::DomainError::Validation(vec![
            sinergi_domain::FieldError::new(
                "region",
                "not_a_party",
                format!("Wilayah {} bukan pihak kerja sama ini.", b.region),
                format!("Region {} is not a party to this case.", b.region),
            ),
        ])
        .into());
    }
    state
        .store
        .add_case_unit(id, &b.region, &b.unit, &actor, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
