//! `/kerja-sama/{id}/pemantauan`: the work plan with progress computed from indicators and
//! the evidence of each realisation, the programme synergy, the M&E forms. The forms' handlers
//! are in `monitoring_forms`; the case page's synergy partial in `synergy`.

use super::common::parse_id;
use super::synergy::{Synergy, pct, synergy};
use super::{Chrome, PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use sinergi_domain::case::party_role;
use sinergi_domain::ids::CaseId;
use sinergi_domain::monitoring::{EvaluationForm, EvaluationStatus, FundingSource};
use sinergi_domain::{DomainError, Lang, locale};

pub struct IndicatorView {
    pub value: String,
    pub label: String,
    pub target: String,
    pub realised: String,
    pub percent: String,
    pub width: u8,
}

pub struct ActivityView {
    pub field: String,
    pub agreement: String,
    pub title: String,
    pub responsible: Vec<String>,
    pub schedule: String,
    pub budget: Vec<String>,
    pub indicators: Vec<IndicatorView>,
    pub percent: String,
    pub realisations: Vec<RealisationView>,
}

/// One realisation entry with its evidence files.
pub struct RealisationView {
    pub id: String,
    pub text: String,
    /// (file name, download address, first 12 hex digits of the SHA-256).
    pub evidence: Vec<(String, String, String)>,
}

pub struct EvaluationView {
    pub id: String,
    pub version: i64,
    pub period: String,
    pub form: String,
    /// Whose form it is.
    pub party: String,
    pub status: String,
    pub rating: String,
    pub recommendation: String,
    pub can_submit: bool,
    pub can_review: bool,
    pub answers: Vec<String>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

pub struct FormSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub criteria: Vec<(&'static str, &'static str)>,
    pub is_final: bool,
}

#[derive(Template)]
#[template(path = "monitoring.html")]
pub struct MonitoringPage {
    chrome: Chrome,
    id: String,
    title: String,
    stage: String,
    percent: String,
    activities: Vec<ActivityView>,
    synergy: Synergy,
    evaluations: Vec<EvaluationView>,
    fields: Vec<Choice>,
    parties: Vec<Choice>,
    /// The visitor's own party: its programmes and its M&E forms are its own.
    own_parties: Vec<Choice>,
    indicators: Vec<Choice>,
    agreements: Vec<Choice>,
    forms: Vec<FormSpec>,
    errors: Vec<String>,
    notice: Option<String>,
    period: String,
    today: String,
}

fn money(v: i64, lang: Lang) -> String {
    locale::rupiah_in(v.saturating_mul(100), lang)
}

fn number(x: f64, lang: Lang) -> String {
    locale::decimal(x, if x.fract() == 0.0 { 0 } else { 2 }, lang)
}

pub(crate) async fn monitoring_page(
    state: &AppState,
    v: &Visitor,
    id: CaseId,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<MonitoringPage, PageError> {
    let lang = v.lang;
    let case = state.store.get_case(id).await?;
    if !case.published && !v.staff {
        return Err(ApiError::Domain(DomainError::not_found("case", id)).into());
    }
    let plan = state.store.work_plan(id).await?;
    let agreements = state.store.list_agreements(id).await?;
    let field_label = |o: u16| {
        case.fields
            .iter()
            .find(|f| f.ordinal == o)
            .map_or_else(|| o.to_string(), |f| f.label.clone())
    };
    let party_name = |o: u16| {
        case.parties
            .iter()
            .find(|p| p.ordinal == o)
            .map_or_else(|| o.to_string(), |p| p.name.clone())
    };
    let activities = plan
        .activities
        .iter()
        .map(|a| ActivityView {
            field: field_label(a.activity.field),
            agreement: agreements
                .iter()
                .find(|x| x.id == a.activity.agreement_id)
                .map(|x| format!("{} — {}", x.kind.label_id(), x.title))
                .unwrap_or_default(),
            title: a.activity.title.clone(),
            responsible: a
                .activity
                .responsible
                .iter()
                .map(|r| format!("{}: {}", party_name(r.party), r.unit))
                .collect(),
            schedule: match (a.activity.starts_on, a.activity.ends_on) {
                (Some(s), Some(e)) => format!(
                    "{} – {}",
                    locale::date_short(s, lang),
                    locale::date_short(e, lang)
                ),
                (Some(s), None) => locale::date_short(s, lang),
                _ => String::new(),
            },
            budget: a
                .activity
                .budget
                .iter()
                .map(|b| {
                    let whose = match (b.source, b.party) {
                        (FundingSource::Apbd, Some(p)) => format!("APBD {}", party_name(p)),
                        (s, _) => s.label().to_owned(),
                    };
                    format!(
                        "TA {}: {} ({whose}{})",
                        b.fiscal_year,
                        money(b.amount, v.lang),
                        b.source_note
                            .as_deref()
                            .map(|n| format!(", {n}"))
                            .unwrap_or_default()
                    )
                })
                .collect(),
            indicators: a
                .indicators
                .iter()
                .map(|i| IndicatorView {
                    value: format!("{}:{}", a.activity.id, i.indicator),
                    label: format!("{} ({})", i.name, i.unit),
                    target: number(i.target, v.lang),
                    realised: number(i.realised, v.lang),
                    percent: pct(i.percent),
                    #[expect(
                        clippy::cast_possible_truncation,
                        clippy::cast_sign_loss,
                        reason = "0–100"
                    )]
                    width: i.percent.round().clamp(0.0, 100.0) as u8,
                })
                .collect(),
            percent: pct(a.percent),
            realisations: a
                .realisations
                .iter()
                .map(|r| {
                    let ind = a
                        .activity
                        .indicators
                        .iter()
                        .find(|i| i.id == r.indicator_id);
                    RealisationView {
                        id: r.id.to_string(),
                        text: format!(
                            "{}: {} {} — {}",
                            locale::date_short(r.realised_on, lang),
                            number(r.value, v.lang),
                            ind.map(|i| i.unit.as_str()).unwrap_or_default(),
                            r.note.clone().unwrap_or_default()
                        ),
                        evidence: r
                            .evidence
                            .iter()
                            .map(|e| {
                                (
                                    e.file_name.clone(),
                                    format!("/api/v1/cases/{id}/evidence/{}", e.id),
                                    e.sha256.chars().take(12).collect(),
                                )
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    let mine = sinergi_domain::authority::own_party(&v.principal, &case).map(|p| p.ordinal);
    let operator = v.principal.has(sinergi_domain::access::Role::Operator);
    let evaluations = if v.staff {
        state
            .store
            .list_evaluations(id)
            .await?
            .into_iter()
            .map(|e| EvaluationView {
                id: e.id.to_string(),
                version: e.version,
                period: e.period.clone(),
                form: e.form.label().to_owned(),
                party: e
                    .party
                    .and_then(|o| case.party(o))
                    .map_or_else(String::new, |p| p.short_name().to_owned()),
                status: match e.status {
                    EvaluationStatus::Draft => lang.pick("draf", "draft"),
                    EvaluationStatus::Submitted => lang.pick("diajukan", "submitted"),
                    EvaluationStatus::Reviewed => lang.pick("direviu", "reviewed"),
                }
                .to_owned(),
                rating: e.rating.map(|r| format!("{r}/5")).unwrap_or_default(),
                recommendation: e
                    .recommendation
                    .map(|r| r.as_str().to_owned())
                    .unwrap_or_default(),
                can_submit: e.status == EvaluationStatus::Draft
                    && (operator || e.party.is_none() || e.party == mine),
                can_review: e.status == EvaluationStatus::Submitted
                    && (operator || e.party.is_none() || e.party == mine),
                answers: e
                    .form
                    .criteria()
                    .iter()
                    .filter_map(|(k, label)| {
                        let a = e.answers.get(*k)?;
                        Some(format!(
                            "{label}: {}{}",
                            a.score.map(|s| format!("{s}/5 ")).unwrap_or_default(),
                            a.note.clone().unwrap_or_default()
                        ))
                    })
                    .collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let today = sinergi_domain::schedule::sweep_day(state.clock.now());
    let period = sinergi_domain::schedule::period_of(today).previous().key();
    Ok(MonitoringPage {
        chrome: Chrome::new(v, "case"),
        id: case.id.to_string(),
        title: case.title.clone(),
        stage: lang
            .pick(case.stage.label_id(), case.stage.label_en())
            .to_owned(),
        percent: pct(plan.percent),
        activities,
        synergy: Synergy {
            link: String::new(),
            ..synergy(state, &case).await?
        },
        evaluations,
        fields: case
            .fields
            .iter()
            .map(|f| Choice {
                value: f.ordinal.to_string(),
                label: format!("{}. {}", f.ordinal, f.label),
            })
            .collect(),
        parties: case
            .parties
            .iter()
            .filter(|p| p.region.is_some())
            .map(|p| Choice {
                value: p.ordinal.to_string(),
                label: format!("{} — {}", party_role(p.ordinal), p.name),
            })
            .collect(),
        own_parties: case
            .parties
            .iter()
            .filter(|p| p.region.is_some() && (operator || Some(p.ordinal) == mine))
            .map(|p| Choice {
                value: p.ordinal.to_string(),
                label: format!("{} — {}", party_role(p.ordinal), p.name),
            })
            .collect(),
        indicators: plan
            .activities
            .iter()
            .flat_map(|a| {
                a.indicators.iter().map(|i| Choice {
                    value: format!("{}:{}", a.activity.id, i.indicator),
                    label: format!("{} — {} ({})", a.activity.title, i.name, i.unit),
                })
            })
            .collect(),
        agreements: agreements
            .iter()
            .filter(|a| a.kind == sinergi_domain::agreement::AgreementKind::Pks)
            .map(|a| Choice {
                value: a.id.to_string(),
                label: a.title.clone(),
            })
            .collect(),
        forms: EvaluationForm::ALL
            .iter()
            .map(|f| FormSpec {
                key: f.as_str(),
                label: f.label(),
                criteria: f.criteria().to_vec(),
                is_final: f.is_final(),
            })
            .collect(),
        errors,
        notice,
        period,
        today: today.to_string(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    Ok(render(
        &monitoring_page(&state, &v, id, Vec::new(), None).await?,
    ))
}
