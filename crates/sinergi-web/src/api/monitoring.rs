//! Implementation and monitoring: the work plan with computed progress, realisation with
//! evidence files, programme synergy, the M&E forms; the signed-in user's notifications;
//! calendar feeds (a region's published events, a private per-user feed); reports.

use crate::api::cases::visible_case;
use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Viewer, Writer};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sinergi_domain::DomainError;
use sinergi_domain::ics::{CalendarEvent, EventTime, calendar};
use sinergi_domain::ids::CaseId;
use sinergi_domain::monitoring::{
    Activity, Evaluation, EvaluationInput, EvaluationStep, Evidence, NewActivityInput,
    NewProgrammeLinkInput, NewRealisationInput, ProgrammeLink, Realisation,
};
use sinergi_store::{CalendarItem, Notification, WorkPlan};
use uuid::Uuid;

/// The work plan of a case: activities per field under their PKS (or the KB), indicators
/// with targets and realisation, progress computed from the indicators.
#[utoipa::path(get, path = "/api/v1/cases/{id}/work-plan", tag = "monitoring", params(("id" = CaseId, Path)),
    responses((status = 200, body = WorkPlan), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn work_plan(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<WorkPlan>, ApiError> {
    visible_case(&state, &viewer, id).await?;
    Ok(Json(state.store.work_plan(id).await?))
}

/// The activities of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/activities", tag = "monitoring", params(("id" = CaseId, Path)),
    responses((status = 200, body = Items<Activity>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_activities(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Activity>>, ApiError> {
    visible_case(&state, &viewer, id).await?;
    Ok(Json(Items::all(state.store.list_activities(id).await?)))
}

/// Adds an activity: field, each party's responsible OPD, schedule, budget per fiscal year
/// with its source, output indicators with targets.
#[utoipa::path(post, path = "/api/v1/cases/{id}/activities", tag = "monitoring", params(("id" = CaseId, Path)),
    request_body = NewActivityInput, security(("bearer" = [])),
    responses((status = 201, body = Activity), (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_activity(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewActivityInput>,
) -> Result<(StatusCode, Json<Activity>), ApiError> {
    let a = state
        .store
        .add_activity(id, &input, &actor, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Records realisation of one indicator of an activity.
#[utoipa::path(post, path = "/api/v1/cases/{id}/activities/{activity_id}/realisations", tag = "monitoring",
    params(("id" = CaseId, Path), ("activity_id" = String, Path)), request_body = NewRealisationInput, security(("bearer" = [])),
    responses((status = 201, body = Realisation), (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_realisation(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath((id, activity)): ApiPath<(CaseId, Uuid)>,
    ApiJson(input): ApiJson<NewRealisationInput>,
) -> Result<(StatusCode, Json<Realisation>), ApiError> {
    let r = state
        .store
        .add_realisation(id, activity, &input, &actor, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EvidenceQuery {
    /// The file name, e.g. `berita-acara.pdf`.
    pub name: String,
}

/// Attaches an evidence file (photo, berita acara) to a realisation entry: the request body
/// is the file, its `Content-Type` the media type.
#[utoipa::path(post, path = "/api/v1/cases/{id}/realisations/{realisation_id}/evidence", tag = "monitoring",
    params(("id" = CaseId, Path), ("realisation_id" = String, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 201, body = Evidence), (status = 404, body = crate::error::ErrorEnvelope), (status = 413, body = crate::error::ErrorEnvelope)))]
pub async fn upload_evidence(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath((id, realisation)): ApiPath<(CaseId, Uuid)>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream");
    let e = state
        .store
        .add_evidence(
            state.files.as_ref(),
            id,
            realisation,
            &q.name,
            media,
            &body,
            &actor,
            state.clock.now(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Downloads an evidence file (staff only: photos and minutes may show people); the `ETag`
/// is its SHA-256.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence/{evidence_id}", tag = "monitoring",
    params(("id" = CaseId, Path), ("evidence_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file"), (status = 401, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn download_evidence(
    State(state): State<AppState>,
    Writer(_staff): Writer,
    ApiPath((id, evidence)): ApiPath<(CaseId, Uuid)>,
) -> Result<Response, ApiError> {
    state.store.get_case(id).await?;
    let e = state
        .store
        .list_realisations(id)
        .await?
        .into_iter()
        .flat_map(|r| r.evidence)
        .find(|e| e.id == evidence)
        .ok_or_else(|| DomainError::not_found("evidence", evidence))?;
    let bytes = state
        .files
        .get(&e.sha256)
        .map_err(|_| ApiError::Internal)?
        .ok_or_else(|| DomainError::not_found("evidence", evidence))?;
    let disposition = format!(
        "attachment; filename=\"{}\"",
        e.file_name.replace(['"', '\\', '\r', '\n'], "_")
    );
    Ok((
        [
            (header::CONTENT_TYPE, e.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::ETAG, format!("\"{}\"", e.sha256)),
        ],
        bytes,
    )
        .into_response())
}

/// The parties' RPJMD/RKPD programmes linked to the case's fields.
#[utoipa::path(get, path = "/api/v1/cases/{id}/programmes", tag = "monitoring", params(("id" = CaseId, Path)),
    responses((status = 200, body = Items<ProgrammeLink>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_programmes(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<ProgrammeLink>>, ApiError> {
    visible_case(&state, &viewer, id).await?;
    Ok(Json(Items::all(
        state.store.list_programme_links(id).await?,
    )))
}

/// Links one party's regional programme (RPJMD or RKPD, code and name) to a field.
#[utoipa::path(post, path = "/api/v1/cases/{id}/programmes", tag = "monitoring", params(("id" = CaseId, Path)),
    request_body = NewProgrammeLinkInput, security(("bearer" = [])),
    responses((status = 201, body = ProgrammeLink), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_programme(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewProgrammeLinkInput>,
) -> Result<(StatusCode, Json<ProgrammeLink>), ApiError> {
    let l = state
        .store
        .add_programme_link(id, &input, &actor, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(l)))
}

/// The M&E forms of a case (staff only).
#[utoipa::path(get, path = "/api/v1/cases/{id}/evaluations", tag = "monitoring", params(("id" = CaseId, Path)),
    security(("bearer" = [])), responses((status = 200, body = Items<Evaluation>), (status = 401, body = crate::error::ErrorEnvelope)))]
pub async fn list_evaluations(
    State(state): State<AppState>,
    Writer(_staff): Writer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Evaluation>>, ApiError> {
    state.store.get_case(id).await?;
    Ok(Json(Items::all(state.store.list_evaluations(id).await?)))
}

/// Saves a draft form of a period (pelaksana, tkksd_lokus or admin): a new one, or the
/// draft of the same subject, period and form with new content.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evaluations", tag = "monitoring", params(("id" = CaseId, Path)),
    request_body = EvaluationInput, security(("bearer" = [])),
    responses((status = 200, body = Evaluation), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn save_evaluation(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Json<Evaluation>, ApiError> {
    Ok(Json(
        state
            .store
            .save_evaluation(id, &input, &actor, state.clock.now())
            .await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EvaluationStepRequest {
    pub step: EvaluationStep,
    pub expected_version: i64,
}

/// Moves a form: `submit` (draft → submitted, complete forms only) or `review`
/// (submitted → reviewed).
#[utoipa::path(post, path = "/api/v1/cases/{id}/evaluations/{evaluation_id}/steps", tag = "monitoring",
    params(("id" = CaseId, Path), ("evaluation_id" = String, Path)), request_body = EvaluationStepRequest, security(("bearer" = [])),
    responses((status = 200, body = Evaluation), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn evaluation_step(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath((id, evaluation)): ApiPath<(CaseId, Uuid)>,
    ApiJson(req): ApiJson<EvaluationStepRequest>,
) -> Result<Json<Evaluation>, ApiError> {
    Ok(Json(
        state
            .store
            .evaluation_step(
                id,
                evaluation,
                req.step,
                req.expected_version,
                &actor,
                state.clock.now(),
            )
            .await?,
    ))
}

/// The signed-in user's in-app notifications, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "monitoring", security(("bearer" = [])),
    responses((status = 200, body = Items<Notification>), (status = 401, body = crate::error::ErrorEnvelope)))]
pub async fn my_notifications(
    State(state): State<AppState>,
    access: crate::auth::Access,
) -> Result<Json<Items<Notification>>, ApiError> {
    let user = access.principal.username;
    Ok(Json(Items::all(
        state.store.notifications_for(&user, 200).await?,
    )))
}

/// Marks one of the signed-in user's notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/{notification_id}/read", tag = "monitoring",
    params(("notification_id" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn read_notification(
    State(state): State<AppState>,
    access: crate::auth::Access,
    ApiPath(nid): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let user = access.principal.username;
    if state
        .store
        .mark_notification_read(&user, nid, state.clock.now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(DomainError::not_found("notification", nid).into())
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FeedLink {
    /// The private feed's address; keep it secret (it needs no sign-in).
    pub url: String,
}

/// Makes a private calendar feed address for the signed-in user (meetings and deadlines of
/// every case of the user's region, published or not).
#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "monitoring", security(("bearer" = [])),
    responses((status = 201, body = FeedLink), (status = 401, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn create_feed(
    State(state): State<AppState>,
    access: crate::auth::Access,
) -> Result<(StatusCode, Json<FeedLink>), ApiError> {
    let user = access.principal.username;
    let token = state
        .store
        .create_feed_token(&user, state.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(FeedLink {
            url: format!("/api/v1/calendar/{token}/sinergi.ics"),
        }),
    ))
}

/// The site's origin as the client addressed it (`X-Forwarded-Proto` behind a TLS proxy), so
/// the feed's URL properties are absolute URIs as RFC 5545 requires.
fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

fn events(items: Vec<CalendarItem>, origin: &str) -> Vec<CalendarEvent> {
    items
        .into_iter()
        .map(|i| match i {
            CalendarItem::Meeting { case, meeting } => {
                let when = match (meeting.starts_at(), meeting.start_time) {
                    (Some(start), Some(st)) => {
                        let dur = meeting
                            .end_time
                            .map(|e| e - st)
                            .filter(|d| d.is_positive())
                            .unwrap_or(time::Duration::hours(2));
                        EventTime::Timed {
                            start,
                            end: start + dur,
                        }
                    }
                    _ => EventTime::AllDay(meeting.date),
                };
                CalendarEvent {
                    uid: format!("meeting-{}@sinergi", meeting.id),
                    summary: meeting.title.clone(),
                    description: format!("{} — {}", case.title, meeting.agenda.join("; ")),
                    location: Some(meeting.place.clone()),
                    url: Some(format!("{origin}/kerja-sama/{}", case.id)),
                    when,
                }
            }
            CalendarItem::AgreementEnd {
                case,
                agreement,
                ends_on,
            } => CalendarEvent {
                uid: format!("end-{}-{ends_on}@sinergi", agreement.id),
                summary: format!("Berakhir: {}", agreement.title),
                description: format!(
                    "{} ({}) berakhir; perpanjangan menempuh prosedur lengkap.",
                    agreement.kind.label_id(),
                    case.title
                ),
                location: None,
                url: Some(format!("{origin}/kerja-sama/{}", case.id)),
                when: EventTime::AllDay(ends_on),
            },
            CalendarItem::NextStep {
                case,
                text,
                due_on,
                meeting,
                ordinal,
            } => CalendarEvent {
                uid: format!("step-{meeting}-{ordinal}@sinergi"),
                summary: format!("Tenggat: {text}"),
                description: case.title.clone(),
                location: None,
                url: Some(format!("{origin}/kerja-sama/{}", case.id)),
                when: EventTime::AllDay(due_on),
            },
        })
        .collect()
}

fn ics_response(text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        text,
    )
        .into_response()
}

/// Meetings and deadlines of a region's published cases as an iCalendar feed.
#[utoipa::path(get, path = "/api/v1/regions/{code}/calendar.ics", tag = "monitoring", params(("code" = String, Path)),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar"), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn region_calendar(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let region = state.store.get_region(&code).await?;
    let items = state.store.calendar_items(&code, true).await?;
    Ok(ics_response(calendar(
        &format!("Sinergi — {}", region.region.name),
        &events(items, &origin(&headers)),
        state.clock.now(),
    )))
}

/// A user's private feed, addressed by its secret token: every case of the user's region.
#[utoipa::path(get, path = "/api/v1/calendar/{token}/sinergi.ics", tag = "monitoring", params(("token" = String, Path)),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar"), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn private_calendar(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some((user, region)) = state.store.feed_token_user(&token).await? else {
        return Err(DomainError::not_found("calendar", "feed").into());
    };
    let items = match &region {
        Some(r) => state.store.calendar_items(r, false).await?,
        None => Vec::new(),
    };
    Ok(ics_response(calendar(
        &format!("Sinergi — {user}"),
        &events(items, &origin(&headers)),
        state.clock.now(),
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// `xlsx` (default) or `pdf`.
    pub format: Option<String>,
}

/// A report of a region: `register`, `evaluation` or `mapping` (staff only).
#[utoipa::path(get, path = "/api/v1/regions/{code}/reports/{kind}", tag = "monitoring",
    params(("code" = String, Path), ("kind" = String, Path), ReportQuery), security(("bearer" = [])),
    responses((status = 200, description = "XLSX or PDF"), (status = 401, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn region_report(
    State(state): State<AppState>,
    Writer(_staff): Writer,
    ApiPath((code, kind)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, ApiError> {
    use crate::reports::{ReportKind, gather, pdf, xlsx};
    let k = match kind.as_str() {
        "register" => ReportKind::Register,
        "evaluation" => ReportKind::Evaluation,
        "mapping" => ReportKind::Mapping,
        other => {
            return Err(ApiError::BadPath {
                detail: format!("{other} (register, evaluation, mapping)"),
            });
        }
    };
    let report = gather(&state.store, k, &code, state.clock.now()).await?;
    let (bytes, mime, ext) = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => (
            xlsx(&report).map_err(|_| ApiError::Internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "pdf" => (
            pdf(&report).map_err(|_| ApiError::Internal)?,
            "application/pdf",
            "pdf",
        ),
        other => {
            return Err(ApiError::BadQuery {
                detail: format!("format={other} (xlsx, pdf)"),
            });
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"laporan-{kind}-{code}.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
