//! `/`: the dashboard — cases by stage, upcoming meetings, recent activity; for a region
//! (`?wilayah=62`) or the national view.

use super::register::picked_code;
use super::{Chrome, PageError, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::case::Stage;
use sinergi_domain::locale;
use sinergi_store::Scope;

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    /// Absent: the signed-in user's region (national for visitors); empty: national.
    pub wilayah: Option<String>,
}

pub struct StageStat {
    pub stage: String,
    pub label: String,
    pub count: i64,
}

pub struct MeetingLine {
    pub case_id: String,
    pub case_title: String,
    pub when: String,
    pub what: String,
    pub place: String,
}

pub struct DeadlineLine {
    pub case_id: String,
    pub case_title: String,
    pub when: String,
    pub what: String,
}

pub struct ActivityLine {
    pub case_id: String,
    pub case_title: String,
    pub when: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage<'a> {
    chrome: Chrome,
    scope_name: String,
    wilayah: String,
    total: i64,
    stages: Vec<StageStat>,
    meetings: Vec<MeetingLine>,
    activity: Vec<ActivityLine>,
    deadlines: Vec<DeadlineLine>,
    daerah: &'a [(String, String)],
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let lang = v.lang;
    let code = match &q.wilayah {
        Some(w) => picked_code(w),
        None => v.principal.region.clone().unwrap_or_default(),
    };
    let daerah = state.daerah().await?;
    let region = daerah.iter().find(|(c, _)| *c == code);
    let scope = Scope {
        region: region.map(|(c, _)| c.clone()),
        visibility: v.visibility(),
    };
    let counts = state.store.stage_counts(&scope).await?;
    let today = state
        .clock
        .now()
        .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC))
        .date();
    let upcoming = state.store.upcoming_meetings(&scope, today, 8).await?;
    let recent = state.store.recent_activity(&scope, 10).await?;
    let deadlines = state.store.deadlines(&scope, today, 8).await?;
    let stages = Stage::ALL
        .iter()
        .filter_map(|s| {
            let n = counts.iter().find(|c| c.stage == s.as_str())?.count;
            Some(StageStat {
                stage: s.as_str().to_owned(),
                label: lang.pick(s.label_id(), s.label_en()).to_owned(),
                count: n,
            })
        })
        .collect();
    Ok(render(&DashboardPage {
        chrome: Chrome::new(&v, "home"),
        scope_name: region.map_or_else(
            || lang.pick("Nasional", "National").to_owned(),
            |(_, n)| n.clone(),
        ),
        wilayah: region
            .map(|(c, n)| format!("{c} — {n}"))
            .unwrap_or_default(),
        total: counts.iter().map(|c| c.count).sum(),
        stages,
        meetings: upcoming
            .into_iter()
            .map(|m| MeetingLine {
                case_id: m.case_id.to_string(),
                case_title: m.case_title,
                when: match &m.start_time {
                    Some(t) => format!(
                        "{}, {} {} {}",
                        locale::date_long(m.date, lang),
                        lang.pick("pukul", ""),
                        t.replace(':', "."),
                        m.timezone
                    ),
                    None => locale::date_long(m.date, lang),
                },
                what: m.title,
                place: m.place,
            })
            .collect(),
        activity: recent
            .into_iter()
            .map(|a| ActivityLine {
                case_id: a.case_id.to_string(),
                case_title: a.case_title,
                when: locale::date_short(
                    a.at.to_offset(
                        time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC),
                    )
                    .date(),
                    lang,
                ),
                what: match (&a.from_stage, &a.to_stage) {
                    (Some(f), Some(t)) if f != t => format!(
                        "{} → {}",
                        Stage::parse(f)
                            .map_or(f.as_str(), |s| lang.pick(s.label_id(), s.label_en())),
                        Stage::parse(t)
                            .map_or(t.as_str(), |s| lang.pick(s.label_id(), s.label_en()))
                    ),
                    _ => a.action.replace('_', " "),
                },
            })
            .collect(),
        deadlines: deadlines
            .into_iter()
            .map(|d| DeadlineLine {
                case_id: d.case_id.to_string(),
                case_title: d.case_title,
                when: locale::date_long(d.due_on, lang),
                what: if d.kind == "agreement_end" {
                    format!("{}: {}", lang.pick("Berakhir", "Ends"), d.what)
                } else {
                    d.what
                },
            })
            .collect(),
        daerah,
    }))
}
