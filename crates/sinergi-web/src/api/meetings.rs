//! Meetings and letters of a case.

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Viewer, Who};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use sinergi_domain::ids::{CaseId, MeetingId};
use sinergi_domain::letter::{Letter, NewLetterInput};
use sinergi_domain::meeting::{Meeting, NewMeetingInput};
use sinergi_domain::{Lang, locale};
use sinergi_reference::TimeZone;

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    #[serde(flatten)]
    pub meeting: Meeting,
    /// "pukul 10.00 WITA (09.00 WIB)": the host's time, converted for the other parties' zones.
    pub time_label: Option<String>,
}

async fn meeting_view(
    state: &AppState,
    case: &sinergi_domain::case::Case,
    m: Meeting,
) -> Result<MeetingView, ApiError> {
    let codes: Vec<String> = case
        .parties
        .iter()
        .filter_map(|p| p.region.as_ref().map(ToString::to_string))
        .collect();
    let dir = state.store.region_directory(&codes).await?;
    let zones: Vec<TimeZone> = case
        .parties
        .iter()
        .filter_map(|p| p.region.as_ref().and_then(|r| dir.zone(r)))
        .collect();
    Ok(MeetingView {
        time_label: m
            .start_time
            .map(|t| locale::time_label(t, m.timezone, &zones, Lang::Id)),
        meeting: m,
    })
}

/// The meetings of a case, by date.
#[utoipa::path(get, path = "/api/v1/cases/{id}/meetings", tag = "meetings", params(crate::api::Paging, ("id" = CaseId, Path)),
    responses((status = 200, body = Items<MeetingView>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_meetings(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<MeetingView>>, ApiError> {
    let page = paging.resolve()?;
    let case = state.app.readable_case(&viewer.0, id).await?;
    let found = state.store.meetings_page(id, page.0, page.1).await?;
    let mut out = Vec::new();
    for m in found.items {
        out.push(meeting_view(&state, &case, m).await?);
    }
    Ok(Json(Items {
        items: out,
        total: found.total,
    }))
}

/// One meeting with its participants, agenda, minutes, outcomes and next steps.
#[utoipa::path(get, path = "/api/v1/cases/{id}/meetings/{meeting_id}", tag = "meetings",
    params(("id" = CaseId, Path), ("meeting_id" = MeetingId, Path)),
    responses((status = 200, body = MeetingView), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, meeting_id)): ApiPath<(CaseId, MeetingId)>,
) -> Result<Json<MeetingView>, ApiError> {
    let case = state.app.readable_case(&viewer.0, id).await?;
    let m = state.store.get_meeting(id, meeting_id).await?;
    Ok(Json(meeting_view(&state, &case, m).await?))
}

/// Records a meeting; its date and time are in the host region's zone.
#[utoipa::path(post, path = "/api/v1/cases/{id}/meetings", tag = "meetings", params(("id" = CaseId, Path)),
    request_body = NewMeetingInput, security(("bearer" = [])),
    responses((status = 201, body = MeetingView), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewMeetingInput>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    let m = state.app.add_meeting(&who, id, &input).await?;
    let case = state.store.get_case(id).await?;
    Ok((
        StatusCode::CREATED,
        Json(meeting_view(&state, &case, m).await?),
    ))
}

/// The letters of a case (offer, reply, DPRD request, termination notice).
#[utoipa::path(get, path = "/api/v1/cases/{id}/letters", tag = "letters", params(crate::api::Paging, ("id" = CaseId, Path)),
    responses((status = 200, body = Items<Letter>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_letters(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Letter>>, ApiError> {
    let page = paging.resolve()?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(Items::from(
        state.store.letters_page(id, page.0, page.1).await?,
    )))
}

/// Records a letter with its official number (SRIKANDI stays the archive of the letter).
#[utoipa::path(post, path = "/api/v1/cases/{id}/letters", tag = "letters", params(("id" = CaseId, Path)),
    request_body = NewLetterInput, security(("bearer" = [])),
    responses((status = 201, body = Letter), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_letter(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewLetterInput>,
) -> Result<(StatusCode, Json<Letter>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(state.app.add_letter(&who, id, &input).await?),
    ))
}
