//! `/kerja-sama/{id}/pemantauan`: the work plan with progress computed from indicators, the
//! programme synergy, the M&E forms, with simple forms for staff; `/notifikasi`: the signed-in
//! user's notifications; the case page's partial "what each side brings, field by field".

use super::case::{messages, parse_id, require_staff};
use super::{Chrome, PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sinergi_domain::case::{Case, party_role};
use sinergi_domain::ids::CaseId;
use sinergi_domain::monitoring::{
    Answer, BudgetLine, EvaluationForm, EvaluationInput, EvaluationRecommendation,
    EvaluationStatus, EvaluationStep, FundingSource, IndicatorInput, NewActivityInput,
    NewProgrammeLinkInput, NewRealisationInput, Responsible,
};
use sinergi_domain::{DomainError, FieldError, Lang, locale};
use std::collections::BTreeMap;

/// One field of the synergy table.
pub struct SynergyRow {
    pub field: String,
    pub progress: String,
    pub activities: usize,
    /// Per party: what it brings (its programmes and its OPDs).
    pub sides: Vec<Vec<String>>,
}

/// "What each side brings", field by field (a partial of the case page).
pub struct Synergy {
    pub link: String,
    pub parties: Vec<String>,
    pub rows: Vec<SynergyRow>,
    pub any: bool,
}

fn pct(p: f64) -> String {
    format!("{p:.0}%")
}

/// Builds the synergy partial of a case.
///
/// # Errors
/// Database errors.
pub async fn synergy(state: &AppState, case: &Case) -> Result<Synergy, ApiError> {
    let links = state.store.list_programme_links(case.id).await?;
    let plan = state.store.work_plan(case.id).await?;
    let rows: Vec<SynergyRow> = case
        .fields
        .iter()
        .map(|f| {
            let fp = plan.fields.iter().find(|x| x.field == f.ordinal);
            SynergyRow {
                field: f.label.clone(),
                progress: fp
                    .filter(|x| x.activities > 0)
                    .map(|x| pct(x.percent))
                    .unwrap_or_default(),
                activities: fp.map_or(0, |x| x.activities),
                sides: case
                    .parties
                    .iter()
                    .map(|p| {
                        let mut v: Vec<String> = links
                            .iter()
                            .filter(|l| l.field == f.ordinal && l.party == p.ordinal)
                            .map(|l| format!("{} {} — {}", l.plan.to_uppercase(), l.code, l.name))
                            .collect();
                        let mut units: Vec<String> = plan
                            .activities
                            .iter()
                            .filter(|a| a.activity.field == f.ordinal)
                            .flat_map(|a| a.activity.responsible.iter())
                            .filter(|r| r.party == p.ordinal)
                            .map(|r| format!("OPD: {}", r.unit))
                            .collect();
                        units.sort();
                        units.dedup();
                        v.extend(units);
                        v
                    })
                    .collect(),
            }
        })
        .collect();
    let any = !links.is_empty() || !plan.activities.is_empty();
    Ok(Synergy {
        link: format!("/kerja-sama/{}/pemantauan", case.id),
        parties: case
            .parties
            .iter()
            .map(|p| format!("{} — {}", party_role(p.ordinal), p.name))
            .collect(),
        rows,
        any,
    })
}

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
    pub realisations: Vec<String>,
}

pub struct EvaluationView {
    pub id: String,
    pub version: i64,
    pub period: String,
    pub form: String,
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
    indicators: Vec<Choice>,
    agreements: Vec<Choice>,
    forms: Vec<FormSpec>,
    errors: Vec<String>,
    notice: Option<String>,
    period: String,
    today: String,
}

fn money(v: i64) -> String {
    locale::rupiah(v.saturating_mul(100))
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        locale::decimal_id(x, 0)
    } else {
        locale::decimal_id(x, 2)
    }
}

async fn monitoring_page(
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
                        money(b.amount),
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
                    target: number(i.target),
                    realised: number(i.realised),
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
                    let mut s = format!(
                        "{}: {} {} — {}",
                        locale::date_short(r.realised_on, lang),
                        number(r.value),
                        ind.map(|i| i.unit.as_str()).unwrap_or_default(),
                        r.note.clone().unwrap_or_default()
                    );
                    for e in &r.evidence {
                        s.push_str(&format!(
                            " [{} · SHA-256 {}…]",
                            e.file_name,
                            &e.sha256[..12]
                        ));
                    }
                    s
                })
                .collect(),
        })
        .collect();
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
                can_submit: e.status == EvaluationStatus::Draft,
                can_review: e.status == EvaluationStatus::Submitted,
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

#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    ok: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Notice>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let notice =
        q.ok.as_deref()
            .and_then(|c| notice_text(c, v.lang))
            .map(str::to_owned);
    Ok(render(
        &monitoring_page(&state, &v, id, Vec::new(), notice).await?,
    ))
}

/// The message of a completed form, by its code in `?ok=`.
fn notice_text(code: &str, lang: Lang) -> Option<&'static str> {
    Some(match code {
        "kegiatan" => lang.pick("Kegiatan ditambahkan.", "Activity added."),
        "realisasi" => lang.pick("Realisasi dicatat.", "Realisation recorded."),
        "program" => lang.pick("Program ditautkan.", "Programme linked."),
        "monev" => lang.pick(
            "Formulir monev disimpan sebagai draf.",
            "M&E form saved as a draft.",
        ),
        "status" => lang.pick("Status formulir diperbarui.", "Form status updated."),
        _ => return None,
    })
}

async fn after(
    state: &AppState,
    v: &Visitor,
    id: CaseId,
    r: Result<(), ApiError>,
    done: &str,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => {
            Ok(Redirect::to(&format!("/kerja-sama/{id}/pemantauan?ok={done}")).into_response())
        }
        Err(e @ (ApiError::Domain(_) | ApiError::WriteConflict)) => {
            let mut res = render(&monitoring_page(state, v, id, messages(&e, v.lang), None).await?);
            *res.status_mut() = e.status();
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

fn invalid(field: &str, id: &str, en: &str) -> ApiError {
    ApiError::Domain(DomainError::Validation(vec![FieldError::new(
        field, "invalid", id, en,
    )]))
}

fn date_of(s: &str, field: &str) -> Result<Option<time::Date>, ApiError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    time::Date::parse(
        s.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map(Some)
    .map_err(|_| {
        invalid(
            field,
            "Tanggal ditulis TTTT-BB-HH.",
            "Dates are written YYYY-MM-DD.",
        )
    })
}

fn number_of(s: &str, field: &str) -> Result<f64, ApiError> {
    s.trim()
        .replace('.', "")
        .replace(',', ".")
        .parse::<f64>()
        .map_err(|_| invalid(field, "Isi dengan angka.", "Enter a number."))
}

#[derive(Debug, Default, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    field: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    unit_1: String,
    #[serde(default)]
    unit_2: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    fiscal_year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    source_party: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    indicator_unit: String,
    #[serde(default)]
    target: String,
}

pub async fn add_activity(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<ActivityForm>,
) -> Result<Response, PageError> {
    let actor = require_staff(&v)?;
    let id = parse_id(&id)?;
    let parsed = (|| -> Result<NewActivityInput, ApiError> {
        let field = f
            .field
            .parse()
            .map_err(|_| invalid("field", "Pilih bidang.", "Choose a field."))?;
        let mut responsible = Vec::new();
        for (party, unit) in [(1_u16, &f.unit_1), (2, &f.unit_2)] {
            if !unit.trim().is_empty() {
                responsible.push(Responsible {
                    party,
                    unit: unit.trim().to_owned(),
                });
            }
        }
        let mut budget = Vec::new();
        if !f.amount.trim().is_empty() {
            let source = match f.source.as_str() {
                "apbn" => FundingSource::Apbn,
                "lainnya" => FundingSource::Lainnya,
                _ => FundingSource::Apbd,
            };
            #[expect(clippy::cast_possible_truncation, reason = "rupiah amounts")]
            let amount = number_of(&f.amount, "amount")?.round() as i64;
            budget.push(BudgetLine {
                fiscal_year: f.fiscal_year.trim().parse().map_err(|_| {
                    invalid(
                        "fiscal_year",
                        "Isi tahun anggaran.",
                        "Enter the fiscal year.",
                    )
                })?,
                party: f.source_party.parse().ok(),
                source,
                source_note: None,
                amount,
            });
        }
        Ok(NewActivityInput {
            agreement: None,
            field,
            title: f.title.clone(),
            description: Some(f.description.clone()).filter(|d| !d.trim().is_empty()),
            responsible,
            starts_on: date_of(&f.starts_on, "starts_on")?,
            ends_on: date_of(&f.ends_on, "ends_on")?,
            budget,
            indicators: vec![IndicatorInput {
                name: f.indicator.clone(),
                unit: f.indicator_unit.clone(),
                target: number_of(&f.target, "target")?,
            }],
        })
    })();
    let r = match parsed {
        Ok(input) => state
            .store
            .add_activity(id, &input, &actor, state.clock.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    after(&state, &v, id, r, "kegiatan").await
}

#[derive(Debug, Default, Deserialize)]
pub struct RealisationForm {
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    realised_on: String,
    #[serde(default)]
    note: String,
}

pub async fn add_realisation(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<RealisationForm>,
) -> Result<Response, PageError> {
    let actor = require_staff(&v)?;
    let id = parse_id(&id)?;
    let parsed = (|| -> Result<(uuid::Uuid, NewRealisationInput), ApiError> {
        let (a, i) = f
            .indicator
            .split_once(':')
            .ok_or_else(|| invalid("indicator", "Pilih indikator.", "Choose an indicator."))?;
        let a = a
            .parse()
            .map_err(|_| invalid("indicator", "Pilih indikator.", "Choose an indicator."))?;
        let i = i
            .parse()
            .map_err(|_| invalid("indicator", "Pilih indikator.", "Choose an indicator."))?;
        Ok((
            a,
            NewRealisationInput {
                indicator: i,
                value: number_of(&f.value, "value")?,
                realised_on: date_of(&f.realised_on, "realised_on")?.ok_or_else(|| {
                    invalid("realised_on", "Isi tanggal realisasi.", "Enter the date.")
                })?,
                note: Some(f.note.clone()).filter(|n| !n.trim().is_empty()),
            },
        ))
    })();
    let r = match parsed {
        Ok((a, input)) => state
            .store
            .add_realisation(id, a, &input, &actor, state.clock.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    after(&state, &v, id, r, "realisasi").await
}

#[derive(Debug, Default, Deserialize)]
pub struct ProgrammeForm {
    #[serde(default)]
    party: String,
    #[serde(default)]
    field: String,
    #[serde(default)]
    plan: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

pub async fn add_programme(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<ProgrammeForm>,
) -> Result<Response, PageError> {
    let actor = require_staff(&v)?;
    let id = parse_id(&id)?;
    let input = NewProgrammeLinkInput {
        party: f.party.parse().unwrap_or(0),
        field: f.field.parse().unwrap_or(0),
        plan: f.plan,
        code: f.code,
        name: f.name,
    };
    let r = state
        .store
        .add_programme_link(id, &input, &actor, state.clock.now())
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    after(&state, &v, id, r, "program").await
}

pub async fn save_evaluation(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let actor = require_staff(&v)?;
    let id = parse_id(&id)?;
    let get = |k: &str| {
        f.iter()
            .find(|(a, _)| a == k)
            .map(|(_, b)| b.trim().to_owned())
            .unwrap_or_default()
    };
    let parsed = (|| -> Result<EvaluationInput, ApiError> {
        let form = EvaluationForm::parse(&get("form"))
            .ok_or_else(|| invalid("form", "Pilih formulir.", "Choose a form."))?;
        let mut answers = BTreeMap::new();
        for (k, _) in form.criteria() {
            let score = get(&format!("score_{k}")).parse::<u8>().ok();
            let note = Some(get(&format!("note_{k}"))).filter(|n| !n.is_empty());
            if score.is_some() || note.is_some() {
                answers.insert((*k).to_owned(), Answer { score, note });
            }
        }
        Ok(EvaluationInput {
            agreement: get("agreement").parse().ok(),
            period: get("period"),
            form,
            answers,
            rating: if form.is_final() {
                get("rating").parse().ok()
            } else {
                None
            },
            recommendation: if form.is_final() {
                EvaluationRecommendation::parse(&get("recommendation"))
            } else {
                None
            },
        })
    })();
    let r = match parsed {
        Ok(input) => state
            .store
            .save_evaluation(id, &input, &actor, state.clock.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    after(&state, &v, id, r, "monev").await
}

#[derive(Debug, Deserialize)]
pub struct StepForm {
    step: String,
    expected_version: i64,
}

pub async fn evaluation_step(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, eid)): Path<(String, String)>,
    Form(f): Form<StepForm>,
) -> Result<Response, PageError> {
    let actor = require_staff(&v)?;
    let id = parse_id(&id)?;
    let eid = eid
        .parse()
        .map_err(|_| PageError(DomainError::not_found("evaluation", &eid).into()))?;
    let step = if f.step == "review" {
        EvaluationStep::Review
    } else {
        EvaluationStep::Submit
    };
    let r = state
        .store
        .evaluation_step(id, eid, step, f.expected_version, &actor, state.clock.now())
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    after(&state, &v, id, r, "status").await
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    chrome: Chrome,
    items: Vec<(String, String, String, String, Option<String>, bool)>,
}

/// The signed-in user's notifications.
pub async fn notifications(
    State(state): State<AppState>,
    v: Visitor,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let user = v.principal.username.clone();
    let items = state
        .store
        .notifications_for(&user, 200)
        .await?
        .into_iter()
        .map(|n| {
            let when = locale::date_long(n.created_at.date(), v.lang);
            (
                n.id.to_string(),
                when,
                n.title,
                n.body,
                n.link,
                n.read_at.is_some(),
            )
        })
        .collect();
    Ok(render(&NotificationsPage {
        chrome: Chrome::new(&v, "notifications"),
        items,
    }))
}

pub async fn read_notification(
    State(state): State<AppState>,
    v: Visitor,
    Path(nid): Path<String>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let user = v.principal.username.clone();
    if let Ok(nid) = nid.parse() {
        state
            .store
            .mark_notification_read(&user, nid, state.clock.now())
            .await?;
    }
    Ok(Redirect::to("/notifikasi").into_response())
}
