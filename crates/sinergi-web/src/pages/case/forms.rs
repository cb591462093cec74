//! The case page's forms: a meeting, a step of the path. Each calls the application layer;
//! a refusal shows the page again with the reasons and what was typed.

use crate::error::ApiError;
use crate::pages::register::picked_code;
use crate::pages::{PageError, Visitor};
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sinergi_domain::DomainError;
use sinergi_domain::case::TerminationReason;
use sinergi_domain::meeting::{MeetingKind, NewMeetingInput, NextStep};
use sinergi_domain::workflow::{Action, Recommendation, TransitionRequest};
use std::collections::HashMap;

use super::*;
use crate::pages::common::*;

pub async fn add_meeting(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<MeetingForm>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let parsed = (|| -> Result<NewMeetingInput, ApiError> {
        let kind = MeetingKind::parse(&f.kind).ok_or_else(|| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::required("kind"),
            ]))
        })?;
        let date = time::Date::parse(
            &f.date,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::new(
                    "date",
                    "invalid",
                    "Tanggal pertemuan wajib diisi (TTTT-BB-HH).",
                    "The meeting date is required (YYYY-MM-DD).",
                ),
            ]))
        })?;
        let participants = lines(&f.participants)
            .into_iter()
            .map(|l| {
                let (name, position) = l
                    .split_once(['—', '-', ','])
                    .map_or((l.as_str(), ""), |(a, b)| (a, b));
                sinergi_domain::meeting::Participant {
                    name: name.trim().to_owned(),
                    position: if position.trim().is_empty() {
                        "-".to_owned()
                    } else {
                        position.trim().to_owned()
                    },
                    region: None,
                    official: None,
                }
            })
            .collect();
        Ok(NewMeetingInput {
            kind,
            title: Some(f.title.clone()).filter(|t| !t.trim().is_empty()),
            date,
            start_time: Some(f.start_time.clone()),
            end_time: Some(f.end_time.clone()),
            host_region: Some(picked_code(&f.host_region)).filter(|h| !h.is_empty()),
            place: f.place.clone(),
            participants,
            agenda: lines(&f.agenda),
            minutes: Some(f.minutes.clone()),
            outcomes: lines(&f.outcomes),
            next_steps: lines(&f.next_steps)
                .into_iter()
                .map(|text| NextStep { text, due_on: None })
                .collect(),
        })
    })();
    let result = match parsed {
        Ok(input) => state
            .app
            .add_meeting(&v.caller(), id, &input)
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/kerja-sama/{id}?ok=pertemuan#pertemuan")).into_response())
        }
        Err(e) => refused(&state, &v, id, &e, "meeting", f, HashMap::new()).await,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct TransitionForm {
    pub action: String,
    pub expected_version: i64,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub reviewer: String,
    #[serde(default)]
    pub recommendation: String,
    #[serde(default)]
    pub letter: String,
    #[serde(default)]
    pub accepted: String,
    #[serde(default)]
    pub party: String,
    #[serde(default)]
    pub approved: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub decision_date: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub effective_on: String,
    #[serde(default)]
    pub outstanding_obligations: String,
    /// The TKKSD meeting behind a recommendation (recorded as its kajian).
    #[serde(default)]
    pub kajian_meeting_on: String,
    #[serde(default)]
    pub kajian_mode: String,
    #[serde(default)]
    pub kajian_minutes: String,
}

/// The kajian the recommend and review_offer forms describe; `attendees` are the ticked
/// `kajian_attendee` boxes.
fn kajian_of(
    f: &TransitionForm,
    attendees: &[String],
) -> Result<Option<sinergi_domain::kajian::KajianInput>, ApiError> {
    if !matches!(f.action.as_str(), "recommend" | "review_offer") {
        return Ok(None);
    }
    let meeting_on = match f.kajian_meeting_on.trim() {
        "" => None,
        d => Some(parse_date(d, "kajian.meeting_on")?),
    };
    Ok(Some(sinergi_domain::kajian::KajianInput {
        meeting_on,
        mode: sinergi_domain::kajian::ReviewMode::parse(f.kajian_mode.trim()),
        attendees: attendees.iter().filter_map(|a| a.parse().ok()).collect(),
        minutes: Some(f.kajian_minutes.trim().to_owned()).filter(|m| !m.is_empty()),
        notes: None,
    }))
}

pub(crate) fn parse_date(s: &str, field: &str) -> Result<time::Date, ApiError> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| {
        invalid(
            field,
            "Tanggal wajib diisi dengan format TTTT-BB-HH.",
            "A date in the form YYYY-MM-DD is required.",
        )
    })
}

pub(crate) fn parse_reason(s: &str) -> Result<TerminationReason, ApiError> {
    REASONS
        .iter()
        .copied()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| invalid("reason", "Pilih alasan pengakhiran.", "Choose a reason."))
}

pub(crate) fn action_of(f: &TransitionForm) -> Result<Action, ApiError> {
    let letter = || {
        f.letter
            .parse()
            .map_err(|_| invalid("letter", "Pilih surat yang dimaksud.", "Choose the letter."))
    };
    Ok(match f.action.as_str() {
        "submit" => Action::Submit,
        "start_review" => Action::StartReview,
        "recommend" => Action::Recommend {
            recommendation: match f.recommendation.as_str() {
                "layak" => Recommendation::Layak,
                "perbaikan" => Recommendation::Perbaikan,
                "tidak_layak" => Recommendation::TidakLayak,
                _ => {
                    return Err(invalid(
                        "recommendation",
                        "Pilih rekomendasi.",
                        "Choose a recommendation.",
                    ));
                }
            },
            reviewer: f.reviewer.parse().map_err(|_| {
                invalid(
                    "reviewer",
                    "Pilih anggota TKKSD yang mencatat.",
                    "Choose the TKKSD member.",
                )
            })?,
        },
        "resubmit" => Action::Resubmit,
        "send_offer" => Action::SendOffer { letter: letter()? },
        "mark_offer_delivered" => Action::MarkOfferDelivered,
        "review_offer" => Action::ReviewOffer {
            recommendation: match f.recommendation.as_str() {
                "layak" => Recommendation::Layak,
                "perbaikan" => Recommendation::Perbaikan,
                "tidak_layak" => Recommendation::TidakLayak,
                _ => {
                    return Err(invalid(
                        "recommendation",
                        "Pilih rekomendasi.",
                        "Choose a recommendation.",
                    ));
                }
            },
            reviewer: f.reviewer.parse().map_err(|_| {
                invalid(
                    "reviewer",
                    "Pilih anggota TKKSD yang mencatat.",
                    "Choose the TKKSD member.",
                )
            })?,
            party: None,
        },
        "record_reply" => Action::RecordReply {
            accepted: f.accepted == "ya",
            letter: f.letter.parse().ok(),
            party: None,
        },
        "start_drafting" => Action::StartDrafting,
        "finalize_kb" => Action::FinalizeKb,
        "reopen_kb" => Action::ReopenKb,
        "sign_kb" => Action::SignKb,
        "activate" => Action::Activate,
        "record_dprd_decision" => Action::RecordDprdDecision {
            party: f
                .party
                .parse()
                .map_err(|_| invalid("party", "Pilih pihak.", "Choose the party."))?,
            approved: f.approved == "ya",
            decision_number: Some(f.decision_number.trim().to_owned()).filter(|s| !s.is_empty()),
            decision_date: parse_date(&f.decision_date, "decision_date")?,
        },
        "end" => Action::End {
            reason: parse_reason(&f.reason)?,
            effective_on: parse_date(&f.effective_on, "effective_on")?,
            outstanding_obligations: Some(f.outstanding_obligations.clone()),
        },
        "terminate_early" => Action::TerminateEarly {
            reason: parse_reason(&f.reason)?,
            effective_on: parse_date(&f.effective_on, "effective_on")?,
            notice_letter: letter()?,
            outstanding_obligations: Some(f.outstanding_obligations.clone()),
        },
        "cancel" => Action::Cancel,
        "withdraw_proposal" => Action::WithdrawProposal,
        other => {
            return Err(DomainError::InvalidTransition {
                action: other.to_owned(),
                stage: String::new(),
            }
            .into());
        }
    })
}

pub async fn transition(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    axum::extract::RawForm(body): axum::extract::RawForm,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let f: TransitionForm = serde_urlencoded::from_bytes(&body).map_err(|_| {
        ApiError::Domain(DomainError::Validation(vec![
            sinergi_domain::FieldError::required("action"),
        ]))
    })?;
    let attendees: Vec<String> = form_urlencoded::parse(&body)
        .filter(|(k, _)| k == "kajian_attendee")
        .map(|(_, v)| v.into_owned())
        .collect();
    let result = match action_of(&f).and_then(|a| Ok((a, kajian_of(&f, &attendees)?))) {
        Ok((action, kajian)) => {
            let req = TransitionRequest {
                kajian,
                expected_version: f.expected_version,
                note: Some(f.note.clone()),
                action,
            };
            state
                .app
                .transition(&v.caller(), id, &req)
                .await
                .map_err(ApiError::from)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/kerja-sama/{id}?ok=transisi")).into_response()),
        Err(e) => {
            let prefill: HashMap<String, String> = [
                ("note", &f.note),
                ("recommendation", &f.recommendation),
                ("reviewer", &f.reviewer),
                ("letter", &f.letter),
                ("accepted", &f.accepted),
                ("party", &f.party),
                ("approved", &f.approved),
                ("decision_number", &f.decision_number),
                ("decision_date", &f.decision_date),
                ("reason", &f.reason),
                ("effective_on", &f.effective_on),
                ("outstanding_obligations", &f.outstanding_obligations),
                ("kajian_meeting_on", &f.kajian_meeting_on),
                ("kajian_mode", &f.kajian_mode),
                ("kajian_minutes", &f.kajian_minutes),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.clone()))
            .collect();
            refused(
                &state,
                &v,
                id,
                &e,
                &format!("action:{}", f.action),
                MeetingForm::default(),
                prefill,
            )
            .await
        }
    }
}
