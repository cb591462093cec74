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

/// One thing that awaits the signed-in user, with where to do it.
pub struct AwaitLine {
    pub label: String,
    pub href: String,
}

/// A case with what awaits the user on it.
pub struct AwaitCase {
    pub case_id: String,
    pub title: String,
    pub stage: String,
    pub items: Vec<AwaitLine>,
}

/// One item of the region's set-up checklist.
pub struct SetupLine {
    pub label: String,
    pub href: String,
    pub done: bool,
    pub required: bool,
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
    /// "Menunggu tindakan Anda": only for a signed-in user of a region.
    awaiting: Vec<AwaitCase>,
    /// Shown to the region's admin until the region can run a case.
    setup: Vec<SetupLine>,
    /// The user signed in with a temporary password.
    must_change_password: bool,
    own_region: bool,
}

fn setup_lines(
    code: &str,
    facts: &sinergi_domain::account::SetupFacts,
    lang: sinergi_domain::Lang,
) -> Vec<SetupLine> {
    sinergi_domain::account::checklist(facts)
        .into_iter()
        .map(|item| {
            let (id, en, href) = match item.key {
                "head" => ("Catat kepala daerah yang menjabat, dengan jabatannya", "Record the head of region in office, with the title", format!("/wilayah/{code}#aksi-pejabat")),
                "officials" => ("Catat pejabat lain (Sekda, kepala perangkat daerah) dengan jabatannya", "Record other officials (Sekda, agency heads) with their titles", format!("/wilayah/{code}#aksi-pejabat")),
                "tkksd" => ("Bentuk TKKSD dengan ketuanya", "Form the TKKSD with its chair", format!("/wilayah/{code}#aksi-tkksd")),
                "units" => ("Catat perangkat daerah (OPD) pada pejabat atau akun", "Name the agencies (OPD) on officials or accounts", format!("/wilayah/{code}#aksi-pejabat")),
                "accounts" => ("Buat akun staf, TKKSD dan OPD", "Create the staff, TKKSD and OPD accounts", format!("/wilayah/{code}/pengguna")),
                _ => ("Tautkan akun kepala daerah ke data pejabatnya (tanda tangan elektronik)", "Link the head of region's account to the official record (electronic signature)", format!("/wilayah/{code}/pengguna")),
            };
            SetupLine {
                label: lang.pick(id, en).to_owned(),
                href,
                done: item.done,
                required: item.required,
            }
        })
        .collect()
}

fn await_lines(c: &sinergi_app::AwaitingCase, lang: sinergi_domain::Lang) -> AwaitCase {
    let id = c.case_id;
    AwaitCase {
        case_id: id.to_string(),
        title: c.title.clone(),
        stage: lang.pick(c.stage.label_id(), c.stage.label_en()).to_owned(),
        items: c
            .items
            .iter()
            .map(|i| match i {
                sinergi_app::Awaited::Step(step) => AwaitLine {
                    label: super::case::step_label(step, lang),
                    href: format!("/kerja-sama/{id}#aksi-{step}"),
                },
                sinergi_app::Awaited::Sign { agreement, kind } => AwaitLine {
                    label: format!(
                        "{}: {}",
                        lang.pick("Tanda tangani naskah", "Sign the text"),
                        kind.label_id()
                    ),
                    href: format!(
                        "/kerja-sama/{id}/dokumen/{}?agreement={agreement}#tanda-tangan",
                        kind.as_str()
                    ),
                },
            })
            .collect(),
    }
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
    let own_region = v.staff && v.principal.region.as_deref() == Some(code.as_str());
    let awaiting = if own_region {
        state
            .app
            .awaiting(&v.caller())
            .await
            .map_err(crate::error::ApiError::from)?
            .iter()
            .map(|c| await_lines(c, lang))
            .collect()
    } else {
        Vec::new()
    };
    let is_admin = v.principal.has(sinergi_domain::access::Role::Admin);
    let setup = if own_region && is_admin {
        let facts = state
            .app
            .setup_facts(&code)
            .await
            .map_err(crate::error::ApiError::from)?;
        if sinergi_domain::account::ready(&facts) {
            Vec::new()
        } else {
            setup_lines(&code, &facts, lang)
        }
    } else {
        Vec::new()
    };
    let must_change_password = match v.principal.user_id {
        Some(uid) if v.staff => state
            .store
            .get_user(sinergi_domain::ids::UserId(uid))
            .await
            .is_ok_and(|u| u.must_change_password),
        _ => false,
    };
    Ok(render(&DashboardPage {
        awaiting,
        setup,
        must_change_password,
        own_region,
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
