//! `/wilayah/{code}/pengguna`: a region's admin manages its own accounts — creates them with
//! their roles (a temporary password shown once), links a kepala daerah's account to the
//! official record, changes roles and OPD, deactivates and reactivates, resets passwords.
//! Who may is the application layer's rule (`sinergi_app::App::region_accounts`).

use super::common::{messages, require_staff};
use super::{Chrome, PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sinergi_domain::access::Role;
use sinergi_domain::account::grantable_roles;
use sinergi_domain::ids::{OfficialId, UserId};
use sinergi_domain::{DomainError, FieldError, Lang};
use sinergi_store::{AccountChange, NewUser, User};
use std::collections::HashMap;

type Pairs = Vec<(String, String)>;

pub struct RoleChoice {
    pub key: &'static str,
    pub label: &'static str,
}

pub struct AccountRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub unit: String,
    pub roles: Vec<&'static str>,
    pub role_labels: String,
    pub official: String,
    pub official_label: String,
    pub disabled: bool,
    pub must_change: bool,
    pub version: i64,
    pub is_self: bool,
}

impl AccountRow {
    #[must_use]
    pub fn has(&self, key: &str) -> bool {
        self.roles.contains(&key)
    }
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    code: String,
    name: String,
    accounts: Vec<AccountRow>,
    roles: Vec<RoleChoice>,
    officials: Vec<(String, String)>,
    errors: Vec<String>,
    /// Which form the errors belong to (`baru`, or an account's id).
    error_form: String,
    prefill: HashMap<String, String>,
    /// The roles ticked on the refused new-account form.
    prefill_roles: Vec<String>,
    /// A temporary password just issued: (user name, password), shown this once.
    temporary: Option<(String, String)>,
}

impl UsersPage {
    #[must_use]
    pub fn val<'a>(&'a self, key: &str) -> &'a str {
        self.prefill.get(key).map_or("", String::as_str)
    }

    #[must_use]
    pub fn ticked(&self, key: &str) -> bool {
        self.prefill_roles.iter().any(|r| r == key)
    }
}

fn role_labels(roles: &[Role], lang: Lang) -> String {
    roles
        .iter()
        .map(|r| r.label(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

struct Refusal {
    errors: Vec<String>,
    form: String,
    prefill: HashMap<String, String>,
    roles: Vec<String>,
}

async fn page(
    state: &AppState,
    v: &Visitor,
    code: &str,
    refusal: Option<Refusal>,
    temporary: Option<(String, String)>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let who = v.caller();
    let users = state
        .app
        .region_accounts(&who, code)
        .await
        .map_err(ApiError::from)?;
    let region = state.store.get_region(code).await?;
    let officials = state.store.officials_of_regions(&[code.to_owned()]).await?;
    let official_label = |id: Option<OfficialId>| {
        id.and_then(|id| officials.iter().find(|o| o.id == id))
            .map(|o| format!("{} — {}", o.name, o.title()))
            .unwrap_or_default()
    };
    let accounts = users
        .iter()
        .map(|u: &User| AccountRow {
            id: u.id.to_string(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            email: u.email.clone().unwrap_or_default(),
            unit: u.unit.clone().unwrap_or_default(),
            roles: u.roles.iter().map(|r| r.as_str()).collect(),
            role_labels: role_labels(&u.roles, lang),
            official: u.official.map(|o| o.to_string()).unwrap_or_default(),
            official_label: official_label(u.official),
            disabled: u.disabled,
            must_change: u.must_change_password,
            version: u.version,
            is_self: who.principal.user_id == Some(u.id.0),
        })
        .collect();
    let refusal = refusal.unwrap_or(Refusal {
        errors: Vec::new(),
        form: String::new(),
        prefill: HashMap::new(),
        roles: Vec::new(),
    });
    let mut res = render(&UsersPage {
        chrome: Chrome::new(v, "region"),
        name: region.region.name,
        code: code.to_owned(),
        accounts,
        roles: grantable_roles(code)
            .into_iter()
            .map(|r| RoleChoice {
                key: r.as_str(),
                label: r.label(lang),
            })
            .collect(),
        officials: officials
            .iter()
            .map(|o| (o.id.to_string(), format!("{} — {}", o.name, o.title())))
            .collect(),
        errors: refusal.errors,
        error_form: refusal.form,
        prefill: refusal.prefill,
        prefill_roles: refusal.roles,
        temporary,
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    page(&state, &v, &code, None, None, StatusCode::OK).await
}

fn field<'a>(pairs: &'a Pairs, k: &str) -> &'a str {
    pairs
        .iter()
        .find(|(key, _)| key == k)
        .map_or("", |(_, v)| v.trim())
}

fn roles_of(pairs: &Pairs) -> Result<(Vec<Role>, Vec<String>), ApiError> {
    let keys: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "roles")
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    let roles = keys
        .iter()
        .map(|k| Role::parse(k))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((roles, keys))
}

fn official_of(pairs: &Pairs) -> Result<Option<OfficialId>, ApiError> {
    match field(pairs, "official") {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| {
            ApiError::Domain(DomainError::Validation(vec![FieldError::new(
                "official",
                "invalid",
                "Pilih pejabat dari daftar.",
                "Choose an official from the list.",
            )]))
        }),
    }
}

fn prefill(pairs: &Pairs) -> HashMap<String, String> {
    pairs
        .iter()
        .filter(|(k, _)| k != "roles" && k != "_csrf")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

async fn refused(
    state: &AppState,
    v: &Visitor,
    code: &str,
    e: &ApiError,
    form: &str,
    pairs: &Pairs,
) -> Result<Response, PageError> {
    let roles = pairs
        .iter()
        .filter(|(k, _)| k == "roles")
        .map(|(_, v)| v.clone())
        .collect();
    page(
        state,
        v,
        code,
        Some(Refusal {
            errors: messages(e, v.lang),
            form: form.to_owned(),
            prefill: prefill(pairs),
            roles,
        }),
        None,
        e.status(),
    )
    .await
}

/// Creates an account with a temporary password, shown once on the page that answers.
pub async fn create(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let who = v.caller();
    let result = async {
        let (roles, _) = roles_of(&pairs)?;
        let input = NewUser {
            username: field(&pairs, "username").to_owned(),
            display_name: field(&pairs, "display_name").to_owned(),
            email: Some(field(&pairs, "email").to_owned()).filter(|s| !s.is_empty()),
            unit: Some(field(&pairs, "unit").to_owned()).filter(|s| !s.is_empty()),
            roles,
            official: official_of(&pairs)?,
            ..NewUser::default()
        };
        let user = state
            .app
            .create_account(&who, &code, &input, &state.settings.login)
            .await?;
        let (_, temporary) = state
            .app
            .reset_account_password(&who, user.id, &state.settings.login)
            .await?;
        Ok::<_, ApiError>((user.username, temporary))
    }
    .await;
    match result {
        Ok(t) => {
            let v = Visitor {
                path: format!("/wilayah/{code}/pengguna?ok=akun_dibuat"),
                ..v
            };
            page(&state, &v, &code, None, Some(t), StatusCode::CREATED).await
        }
        Err(e) => refused(&state, &v, &code, &e, "baru", &pairs).await,
    }
}

fn version(pairs: &Pairs) -> Option<i64> {
    field(pairs, "version").parse().ok()
}

fn account_id(s: &str) -> Result<UserId, ApiError> {
    s.parse()
        .map_err(|_| ApiError::Domain(DomainError::not_found("user", s)))
}

/// Changes an account's name, address, OPD, roles and official.
pub async fn update(
    State(state): State<AppState>,
    v: Visitor,
    Path((code, uid)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let result = async {
        let id = account_id(&uid)?;
        let (roles, _) = roles_of(&pairs)?;
        let change = AccountChange {
            display_name: Some(field(&pairs, "display_name").to_owned()),
            email: Some(field(&pairs, "email").to_owned()),
            unit: Some(field(&pairs, "unit").to_owned()),
            roles: Some(roles),
            disabled: None,
            official: Some(official_of(&pairs)?),
        };
        state
            .app
            .update_account(&v.caller(), id, &change, version(&pairs))
            .await
            .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/wilayah/{code}/pengguna?ok=akun_diubah#akun-{uid}"
        ))
        .into_response()),
        Err(e) => refused(&state, &v, &code, &e, &uid, &pairs).await,
    }
}

/// Deactivates (`aktif=tidak`) or reactivates (`aktif=ya`) an account.
pub async fn set_status(
    State(state): State<AppState>,
    v: Visitor,
    Path((code, uid)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let disabled = field(&pairs, "aktif") != "ya";
    let result = async {
        let id = account_id(&uid)?;
        let change = AccountChange {
            disabled: Some(disabled),
            ..AccountChange::default()
        };
        state
            .app
            .update_account(&v.caller(), id, &change, version(&pairs))
            .await
            .map_err(ApiError::from)
    }
    .await;
    let done = if disabled {
        "akun_nonaktif"
    } else {
        "akun_aktif"
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/wilayah/{code}/pengguna?ok={done}#akun-{uid}")).into_response(),
        ),
        Err(e) => refused(&state, &v, &code, &e, &uid, &pairs).await,
    }
}

/// Issues a temporary password, shown once on the page that answers.
pub async fn reset_password(
    State(state): State<AppState>,
    v: Visitor,
    Path((code, uid)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let result = async {
        let id = account_id(&uid)?;
        state
            .app
            .reset_account_password(&v.caller(), id, &state.settings.login)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok((user, temporary)) => {
            page(
                &state,
                &v,
                &code,
                None,
                Some((user.username, temporary)),
                StatusCode::OK,
            )
            .await
        }
        Err(e) => refused(&state, &v, &code, &e, &uid, &pairs).await,
    }
}
