//! The monitoring page's forms: activities, realisation, evidence files, programmes, the M&E
//! forms and their steps. A refused form shows the page again with the reasons.

use super::common::{messages, parse_id, require_staff};
use super::monitoring::monitoring_page;
use super::{PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sinergi_domain::ids::CaseId;
use sinergi_domain::monitoring::{
    Answer, BudgetLine, EvaluationForm, EvaluationInput, EvaluationRecommendation, EvaluationStep,
    FundingSource, IndicatorInput, NewActivityInput, NewProgrammeLinkInput, NewRealisationInput,
    Responsible,
};
use sinergi_domain::{DomainError, FieldError};
use std::collections::BTreeMap;

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
    require_staff(&v)?;
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
            .app
            .add_activity(&v.caller(), id, &input)
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
    require_staff(&v)?;
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
            .app
            .add_realisation(&v.caller(), id, a, &input)
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
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let input = NewProgrammeLinkInput {
        party: f.party.parse().unwrap_or(0),
        field: f.field.parse().unwrap_or(0),
        plan: f.plan,
        code: f.code,
        name: f.name,
    };
    let r = state
        .app
        .add_programme(&v.caller(), id, &input)
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
    require_staff(&v)?;
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
            party: None,
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
            .app
            .save_evaluation(&v.caller(), id, &input)
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
    require_staff(&v)?;
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
        .app
        .evaluation_step(&v.caller(), id, eid, step, f.expected_version)
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    after(&state, &v, id, r, "status").await
}

/// Uploads an evidence file (multipart: `file`) to a realisation entry.
pub async fn add_evidence(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, realisation)): Path<(String, String)>,
    form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let r = async {
        let realisation: uuid::Uuid = realisation
            .parse()
            .map_err(|_| DomainError::not_found("realisation", &realisation))?;
        let up = super::upload::read(
            form,
            (
                "Pilih berkas bukti (PDF, DOCX, PNG, atau JPEG).",
                "Choose an evidence file (PDF, DOCX, PNG or JPEG).",
            ),
        )
        .await?;
        state
            .app
            .add_evidence(
                &v.caller(),
                id,
                realisation,
                up.file_name.as_deref().unwrap_or_default(),
                &up.bytes,
            )
            .await?;
        Ok(())
    }
    .await;
    after(&state, &v, id, r, "bukti").await
}
