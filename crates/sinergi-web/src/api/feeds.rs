//! What Sinergi sends out: the signed-in user's in-app notifications, calendar feeds (a
//! region's published events, a private per-user feed) and the reports (XLSX/PDF).

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, Writer};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sinergi_domain::DomainError;
use sinergi_domain::ics::{CalendarEvent, EventTime, calendar};
use sinergi_store::{CalendarItem, Notification};
use uuid::Uuid;

/// The signed-in user's in-app notifications, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "monitoring", security(("bearer" = [])),
    params(crate::api::Paging), responses((status = 200, body = Items<Notification>), (status = 401, body = crate::error::ErrorEnvelope)))]
pub async fn my_notifications(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    access: crate::auth::Access,
) -> Result<Json<Items<Notification>>, ApiError> {
    let page = paging.resolve()?;
    let user = access.principal.username;
    Ok(Json(Items::from(
        state
            .store
            .notifications_page(&user, page.0, page.1)
            .await?,
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
            url: format!("{}/api/v1/calendar/{token}/sinergi.ics", origin(&state)),
        }),
    ))
}

/// The site's configured public address (`documents.public_url`) without a trailing slash:
/// the base of every absolute URL a feed contains. Never the request's `Host` header, which
/// the client chooses (a feed fetched with `Host: evil.example` must not link there).
fn origin(state: &AppState) -> &str {
    state.documents.public_url.trim_end_matches('/')
}

/// A sequence number from a row version (1 for a new row): RFC 5545 wants 0 for the first
/// revision and a higher number after each change.
fn sequence(version: i64) -> u32 {
    u32::try_from(version.saturating_sub(1).max(0)).unwrap_or(u32::MAX)
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
                    // Meetings are recorded once and never edited.
                    sequence: 0,
                    last_modified: Some(meeting.created_at),
                }
            }
            CalendarItem::AgreementEnd {
                case,
                agreement,
                ends_on,
            } => CalendarEvent {
                // Stable across changes of the end date: an addendum that moves it updates
                // the same event (with a higher SEQUENCE) instead of adding a second one.
                uid: format!("end-{}@sinergi", agreement.id),
                summary: format!("Berakhir: {}", agreement.title),
                description: format!(
                    "{} ({}) berakhir; perpanjangan menempuh prosedur lengkap.",
                    agreement.kind.label_id(),
                    case.title
                ),
                location: None,
                url: Some(format!("{origin}/kerja-sama/{}", case.id)),
                when: EventTime::AllDay(ends_on),
                sequence: sequence(agreement.version),
                last_modified: Some(agreement.updated_at),
            },
            CalendarItem::NextStep {
                case,
                text,
                due_on,
                meeting,
                ordinal,
                recorded_at,
            } => CalendarEvent {
                uid: format!("step-{meeting}-{ordinal}@sinergi"),
                summary: format!("Tenggat: {text}"),
                description: case.title.clone(),
                location: None,
                url: Some(format!("{origin}/kerja-sama/{}", case.id)),
                when: EventTime::AllDay(due_on),
                sequence: 0,
                last_modified: Some(recorded_at),
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
) -> Result<Response, ApiError> {
    let region = state.store.get_region(&code).await?;
    let items = state.store.calendar_items(&code, true).await?;
    Ok(ics_response(calendar(
        &format!("Sinergi — {}", region.region.name),
        &events(items, origin(&state)),
        state.clock.now(),
    )))
}

/// A user's private feed, addressed by its secret token: every case of the user's region.
#[utoipa::path(get, path = "/api/v1/calendar/{token}/sinergi.ics", tag = "monitoring", params(("token" = String, Path)),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar"), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn private_calendar(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
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
        &events(items, origin(&state)),
        state.clock.now(),
    )))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `xlsx` (default) or `pdf`.
    pub format: Option<String>,
}

/// A report of a region: `register`, `evaluation` or `mapping` (staff only).
#[utoipa::path(get, path = "/api/v1/regions/{code}/reports/{kind}", tag = "monitoring",
    params(("code" = String, Path), ("kind" = String, Path), ReportQuery), security(("bearer" = [])),
    responses((status = 200, description = "The report: an XLSX workbook (default) or a PDF (`format=pdf`).", content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ("application/pdf"))), (status = 401, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
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
