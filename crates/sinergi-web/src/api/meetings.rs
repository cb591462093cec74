//! Meetings and letters of a case.

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Viewer, Who};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::ids::{CaseId, LetterId, MeetingId};
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

/// A correction of a letter not yet sent: the letter as it should read, and the version it
/// was made on (a stale correction is refused).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LetterCorrection {
    pub expected_version: i64,
    pub letter: NewLetterInput,
}

/// The version of a letter a withdrawal or a "sent" mark was made on.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LetterVersion {
    pub expected_version: i64,
}

/// Corrects a letter its party recorded and has not sent yet.
#[utoipa::path(patch, path = "/api/v1/cases/{id}/letters/{letter_id}", tag = "letters",
    params(("id" = CaseId, Path), ("letter_id" = LetterId, Path)),
    request_body = LetterCorrection, security(("bearer" = [])),
    responses((status = 200, body = Letter), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn correct_letter(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, letter_id)): ApiPath<(CaseId, LetterId)>,
    ApiJson(input): ApiJson<LetterCorrection>,
) -> Result<Json<Letter>, ApiError> {
    Ok(Json(
        state
            .app
            .correct_letter(&who, id, letter_id, &input.letter, input.expected_version)
            .await?,
    ))
}

/// Withdraws a letter its party recorded and has not sent yet; it then serves no act.
#[utoipa::path(post, path = "/api/v1/cases/{id}/letters/{letter_id}/withdraw", tag = "letters",
    params(("id" = CaseId, Path), ("letter_id" = LetterId, Path)),
    request_body = LetterVersion, security(("bearer" = [])),
    responses((status = 200, body = Letter), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn withdraw_letter(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, letter_id)): ApiPath<(CaseId, LetterId)>,
    ApiJson(input): ApiJson<LetterVersion>,
) -> Result<Json<Letter>, ApiError> {
    Ok(Json(
        state
            .app
            .withdraw_letter(&who, id, letter_id, input.expected_version)
            .await?,
    ))
}

/// Marks sent a letter no act sends (an invitation, a DPRD request); the offer, a reply and a
/// termination notice are sent by the act that uses them.
#[utoipa::path(post, path = "/api/v1/cases/{id}/letters/{letter_id}/send", tag = "letters",
    params(("id" = CaseId, Path), ("letter_id" = LetterId, Path)),
    request_body = LetterVersion, security(("bearer" = [])),
    responses((status = 200, body = Letter), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn send_letter(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, letter_id)): ApiPath<(CaseId, LetterId)>,
    ApiJson(input): ApiJson<LetterVersion>,
) -> Result<Json<Letter>, ApiError> {
    Ok(Json(
        state
            .app
            .mark_letter_sent(&who, id, letter_id, input.expected_version)
            .await?,
    ))
}
