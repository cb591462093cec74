//! Reference catalogues and the rule sets.

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use sinergi_domain::catalog::catalog;
use sinergi_domain::rules::RuleSet;

#[derive(Serialize, utoipa::ToSchema)]
pub struct UrusanView {
    pub code: String,
    pub name: String,
    /// `wajib_pelayanan_dasar`, `wajib_non_pelayanan_dasar` or `pilihan`.
    pub group: String,
    pub ordinal: u32,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldView {
    pub code: String,
    pub name: String,
    pub ordinal: u32,
    pub urusan: Vec<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub code: String,
    pub name: String,
    pub ordinal: u32,
}

/// The 32 urusan pemerintahan in regulatory order.
#[utoipa::path(get, path = "/api/v1/reference/urusan", tag = "reference", params(crate::api::Paging), responses((status = 200, body = Items<UrusanView>)))]
pub async fn list_urusan(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
) -> Result<Json<Items<UrusanView>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::paged(
        page,
        catalog()
            .urusan
            .iter()
            .map(|u| UrusanView {
                code: u.code.clone(),
                name: u.name.clone(),
                group: u.group.as_str().to_owned(),
                ordinal: u.ordinal,
            })
            .collect(),
    )))
}

/// Cooperation fields (bidang) with the urusan each maps to.
#[utoipa::path(get, path = "/api/v1/reference/fields", tag = "reference", params(crate::api::Paging), responses((status = 200, body = Items<FieldView>)))]
pub async fn list_fields(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
) -> Result<Json<Items<FieldView>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::paged(
        page,
        catalog()
            .fields
            .iter()
            .map(|f| FieldView {
                code: f.code.clone(),
                name: f.name.clone(),
                ordinal: f.ordinal,
                urusan: f.urusan.clone(),
            })
            .collect(),
    )))
}

/// The 17 PDRB categories (lapangan usaha).
#[utoipa::path(get, path = "/api/v1/reference/pdrb-categories", tag = "reference", params(crate::api::Paging), responses((status = 200, body = Items<CategoryView>)))]
pub async fn list_pdrb_categories(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
) -> Result<Json<Items<CategoryView>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::paged(
        page,
        catalog()
            .pdrb
            .iter()
            .map(|c| CategoryView {
                code: c.code.clone(),
                name: c.name.clone(),
                ordinal: c.ordinal,
            })
            .collect(),
    )))
}

/// The versioned rule sets with the legal reference of each parameter.
#[utoipa::path(get, path = "/api/v1/rule-sets", tag = "reference", params(crate::api::Paging), responses((status = 200, body = Items<RuleSet>)))]
pub async fn list_rule_sets(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
) -> Result<Json<Items<RuleSet>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(Items::paged(page, state.store.rule_sets().await?)))
}

/// Adds a rule set, or a new version of one, with its first day (operator only). A case
/// keeps the set it was opened under; the new set applies to cases opened from that day.
#[utoipa::path(post, path = "/api/v1/rule-sets", tag = "reference", request_body = RuleSet,
    responses((status = 201, body = RuleSet), (status = 400, body = crate::error::ErrorEnvelope),
        (status = 401, body = crate::error::ErrorEnvelope), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_rule_set(
    State(state): State<AppState>,
    crate::extract::Writer(actor): crate::extract::Writer,
    crate::extract::ApiJson(body): crate::extract::ApiJson<RuleSet>,
) -> Result<(axum::http::StatusCode, Json<RuleSet>), ApiError> {
    let stored = state
        .store
        .publish_rule_set(&body, &actor, state.clock.now())
        .await?;
    Ok((axum::http::StatusCode::CREATED, Json(stored)))
}
