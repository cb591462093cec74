//! The smaller staff forms: letters and the KB's signing data on the case page; officials
//! and the TKKSD on the region page. A refused form comes back filled in, with the reasons.

use super::case::{MeetingForm, refused};
use super::common::{messages, parse_id, require_staff};
use super::{PageError, Visitor};
use crate::error::ApiError;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use sinergi_domain::DomainError;
use sinergi_domain::agreement::{
    AgreementKind, AgreementPartyPatch, AgreementPatch, NewAgreementInput,
};
use sinergi_domain::case::PartyPatch;
use sinergi_domain::ids::{CaseId, LetterId};
use sinergi_domain::letter::{Attachment, LetterKind, NewLetterInput};
use sinergi_domain::official::{
    ActingStatus, NewOfficialInput, NewTkksdInput, OfficeKind, TkksdMember, TkksdPosition,
};
use std::collections::HashMap;

type Pairs = Vec<(String, String)>;

fn map(pairs: &Pairs) -> HashMap<String, String> {
    let mut m: HashMap<String, String> = HashMap::new();
    for (k, v) in pairs {
        m.entry(k.clone())
            .and_modify(|e| {
                e.push(',');
                e.push_str(v);
            })
            .or_insert_with(|| v.clone());
    }
    m
}

fn get<'a>(m: &'a HashMap<String, String>, k: &str) -> &'a str {
    m.get(k).map_or("", |s| s.trim())
}

fn opt(m: &HashMap<String, String>, k: &str) -> Option<String> {
    Some(get(m, k).to_owned()).filter(|s| !s.is_empty())
}

fn date(m: &HashMap<String, String>, k: &str) -> Result<Option<time::Date>, ApiError> {
    let s = get(m, k);
    if s.is_empty() {
        return Ok(None);
    }
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map(Some)
        .map_err(|_| {
            let (id, en) = sinergi_domain::field_words::words(k);
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::new(
                    k,
                    "invalid",
                    format!("{id} harus berupa tanggal (TTTT-BB-HH)."),
                    format!("{en} must be a date (YYYY-MM-DD)."),
                ),
            ]))
        })
}

/// Back to the case page: on to `anchor` with the notice `key` when the form was accepted
/// (`(key, anchor)`), or the refused form again with its reasons and what was typed.
async fn finish<T>(
    state: &AppState,
    v: &Visitor,
    id: CaseId,
    result: Result<T, ApiError>,
    (key, anchor): (&str, &str),
    form: &str,
    values: HashMap<String, String>,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => Ok(Redirect::to(&super::notice::with(
            &format!("/kerja-sama/{id}#{anchor}"),
            key,
        ))
        .into_response()),
        Err(e) => refused(state, v, id, &e, form, MeetingForm::default(), values).await,
    }
}

/// A new KB or PKS from its form's dates and title.
fn new_agreement(
    m: &HashMap<String, String>,
    kind: AgreementKind,
    fields: Vec<u16>,
) -> Result<NewAgreementInput, ApiError> {
    Ok(NewAgreementInput {
        kind,
        parent: None,
        title: opt(m, "title"),
        fields,
        starts_on: date(m, "starts_on")?,
        ends_on: date(m, "ends_on")?,
        changes: None,
        reason: None,
    })
}

/// A letter as its form gives it (the new-letter form and the correction form).
fn letter_input(pairs: &Pairs, m: &HashMap<String, String>) -> Result<NewLetterInput, ApiError> {
    let kind = LetterKind::parse(get(m, "kind")).ok_or_else(|| {
        ApiError::Domain(DomainError::Validation(vec![
            sinergi_domain::FieldError::required("kind"),
        ]))
    })?;
    let Some(letter_date) = date(m, "date")? else {
        return Err(ApiError::Domain(DomainError::Validation(vec![
            sinergi_domain::FieldError::required("date"),
        ])));
    };
    let attachments = pairs
        .iter()
        .filter(|(k, _)| k == "attachments")
        .filter_map(|(_, v)| match v.as_str() {
            "kak" => Some(Attachment::Kak),
            "rancangan_kb" => Some(Attachment::RancanganKb),
            "studi_kelayakan" => Some(Attachment::StudiKelayakan),
            _ => None,
        })
        .collect();
    Ok(NewLetterInput {
        kind,
        number: opt(m, "number"),
        date: letter_date,
        from_region: opt(m, "from_region"),
        to_region: opt(m, "to_region"),
        signatory: opt(m, "signatory").and_then(|s| s.parse().ok()),
        subject: get(m, "subject").to_owned(),
        srikandi_ref: opt(m, "srikandi_ref"),
        attachments,
        response: None,
    })
}

pub async fn add_letter(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let input = letter_input(&pairs, &m)?;
        state
            .app
            .add_letter(&v.caller(), id, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("surat", "surat"), "letter", m).await
}

/// `POST /kerja-sama/{id}/perselisihan`: the visitor's party raises a dispute.
pub async fn raise_dispute(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let raised_on = date(&m, "raised_on")?.ok_or_else(|| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::required("raised_on"),
            ]))
        })?;
        let input = sinergi_domain::dispute::NewDispute {
            subject: get(&m, "subject").to_owned(),
            description: opt(&m, "description"),
            raised_on,
        };
        state
            .app
            .raise_dispute(&v.caller(), id, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(
        &state,
        &v,
        id,
        result,
        ("perselisihan", "perselisihan"),
        "dispute",
        m,
    )
    .await
}

/// `POST /kerja-sama/{id}/perselisihan/{dispute}/{naik|putusan}`: escalate or settle.
pub async fn step_dispute(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, dispute, act)): Path<(String, String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let did = dispute
            .parse::<uuid::Uuid>()
            .map(sinergi_domain::ids::DisputeId)
            .map_err(|_| ApiError::Domain(DomainError::not_found("dispute", &dispute)))?;
        let version = get(&m, "version").parse::<i64>().map_err(|_| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::required("version"),
            ]))
        })?;
        let step = match act.as_str() {
            "naik" => sinergi_app::DisputeStep::Escalate,
            "putusan" => sinergi_app::DisputeStep::Resolve {
                decision: get(&m, "decision").to_owned(),
                decided_on: date(&m, "decided_on")?.ok_or_else(|| {
                    ApiError::Domain(DomainError::Validation(vec![
                        sinergi_domain::FieldError::required("decided_on"),
                    ]))
                })?,
            },
            other => {
                return Err(ApiError::Domain(DomainError::not_found(
                    "dispute_step",
                    other,
                )));
            }
        };
        state
            .app
            .step_dispute(&v.caller(), id, did, version, &step)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(
        &state,
        &v,
        id,
        result,
        ("perselisihan_langkah", "perselisihan"),
        "dispute",
        m,
    )
    .await
}

/// The letter a form names and the version it was shown at.
fn letter_target(letter: &str, m: &HashMap<String, String>) -> Result<(LetterId, i64), ApiError> {
    let id = letter
        .parse::<uuid::Uuid>()
        .map(LetterId)
        .map_err(|_| ApiError::Domain(DomainError::not_found("letter", letter)))?;
    let version = get(m, "version").parse::<i64>().map_err(|_| {
        ApiError::Domain(DomainError::Validation(vec![
            sinergi_domain::FieldError::required("version"),
        ]))
    })?;
    Ok((id, version))
}

/// `POST /kerja-sama/{id}/surat/{letter}`: the sender corrects a letter not yet sent.
pub async fn correct_letter(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, letter)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let (lid, version) = letter_target(&letter, &m)?;
        let input = letter_input(&pairs, &m)?;
        state
            .app
            .correct_letter(&v.caller(), id, lid, &input, version)
            .await
            .map_err(ApiError::from)
    }
    .await;
    let form = format!("letter:{letter}");
    finish(&state, &v, id, result, ("surat_ubah", "surat"), &form, m).await
}

/// `POST /kerja-sama/{id}/surat/{letter}/tarik` (withdraw, confirmed) and
/// `…/kirim` (marked sent): the sender's two other acts on a letter not yet sent.
pub async fn letter_act(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, letter, act)): Path<(String, String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let form = format!("letter:{letter}");
    let result = async {
        let (lid, version) = letter_target(&letter, &m)?;
        match act.as_str() {
            "tarik" => {
                if get(&m, "yakin") != "ya" {
                    return Err(ApiError::Domain(DomainError::Validation(vec![
                        sinergi_domain::FieldError::new(
                            "yakin",
                            "required",
                            "Centang konfirmasi untuk menarik surat.",
                            "Tick the confirmation to withdraw the letter.",
                        ),
                    ])));
                }
                state
                    .app
                    .withdraw_letter(&v.caller(), id, lid, version)
                    .await
                    .map_err(ApiError::from)
            }
            "kirim" => state
                .app
                .mark_letter_sent(&v.caller(), id, lid, version)
                .await
                .map_err(ApiError::from),
            _ => Err(ApiError::Domain(DomainError::not_found(
                "letter act",
                act.as_str(),
            ))),
        }
    }
    .await;
    let key = if act == "tarik" {
        "surat_tarik"
    } else {
        "surat_kirim"
    };
    finish(&state, &v, id, result, (key, "surat"), &form, m).await
}

pub async fn draft_kb(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let input = new_agreement(&m, AgreementKind::Kb, Vec::new())?;
        state
            .app
            .create_agreement(&v.caller(), id, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("naskah", "naskah"), "kb", m).await
}

pub async fn update_kb(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, aid)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let aid = aid
            .parse()
            .map_err(|_| ApiError::Domain(DomainError::not_found("agreement", &aid)))?;
        let mut parties = Vec::new();
        for ordinal in 1..=9u16 {
            let key = |f: &str| format!("p{ordinal}_{f}");
            if !m.contains_key(&key("present")) {
                continue;
            }
            parties.push(AgreementPartyPatch {
                ordinal,
                number: Some(get(&m, &key("number")).to_owned()),
                number_unpublished: Some(m.contains_key(&key("unpublished"))),
                signatory: opt(&m, &key("signatory")).and_then(|s| s.parse().ok()),
                // The PKS form has the surat kuasa; the KB form has none (a KB is signed by
                // the kepala daerah himself).
                power_of_attorney: m.get(&key("kuasa")).map(|k| k.trim().to_owned()),
            });
        }
        let patch = AgreementPatch {
            expected_version: get(&m, "expected_version").parse().unwrap_or(-1),
            title: None,
            place: Some(get(&m, "place").to_owned()),
            signed_on: date(&m, "signed_on")?,
            starts_on: date(&m, "starts_on")?,
            ends_on: date(&m, "ends_on")?,
            parties,
        };
        state
            .app
            .patch_agreement(&v.caller(), id, aid, &patch)
            .await
            .map_err(ApiError::from)
    }
    .await;
    // The same handler serves the KB's form and each PKS's; a refusal reopens the one sent.
    let form = if get(&m, "form") == "pks" {
        format!("pks:{aid}")
    } else {
        "kb".to_owned()
    };
    finish(&state, &v, id, result, ("naskah", "naskah"), &form, m).await
}

/// A new PKS for one of the case's fields (once the cooperation is active).
pub async fn draft_pks(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let field: u16 = get(&m, "field").parse().map_err(|_| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::new(
                    "field",
                    "required",
                    "Pilih bidang yang dilaksanakan PKS ini.",
                    "Choose the field this PKS implements.",
                ),
            ]))
        })?;
        let input = new_agreement(&m, AgreementKind::Pks, vec![field])?;
        state
            .app
            .create_agreement(&v.caller(), id, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("pks", "naskah"), "pks", m).await
}

/// A step of a PKS: to the TKKSD review, back for revision, final, for signature, into
/// implementation (signing itself follows each party's evidence on the document page).
pub async fn pks_step(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, aid)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    use sinergi_domain::agreement::{AgreementAction, AgreementTransitionRequest};
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let form = format!("pks:{aid}");
    let result = async {
        let aid = aid
            .parse()
            .map_err(|_| ApiError::Domain(DomainError::not_found("agreement", &aid)))?;
        let action = match get(&m, "action") {
            "submit_review" => AgreementAction::SubmitReview,
            "revise" => AgreementAction::Revise,
            "finalize" => AgreementAction::Finalize,
            "request_signature" => AgreementAction::RequestSignature,
            "start_implementation" => AgreementAction::StartImplementation,
            other => {
                return Err(ApiError::Domain(DomainError::InvalidTransition {
                    action: other.to_owned(),
                    stage: String::new(),
                }));
            }
        };
        let req = AgreementTransitionRequest {
            expected_version: get(&m, "expected_version").parse().unwrap_or(-1),
            note: opt(&m, "note"),
            action,
        };
        state
            .app
            .transition_agreement(&v.caller(), id, aid, &req)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("pks_langkah", "naskah"), &form, m).await
}

/// `POST /kerja-sama/{id}/naskah/{aid}/surat-kuasa`: a party records the surat kuasa its
/// kepala daerah gave an official to sign this PKS.
pub async fn record_power_of_attorney(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, aid)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let form = format!("kuasa:{aid}");
    let result = async {
        let aid = aid
            .parse()
            .map_err(|_| ApiError::Domain(DomainError::not_found("agreement", &aid)))?;
        let mut missing = Vec::new();
        let issued_on = date(&m, "issued_on")?;
        let grantor = opt(&m, "grantor").and_then(|s| s.parse().ok());
        let grantee = opt(&m, "grantee").and_then(|s| s.parse().ok());
        for (field, absent) in [
            ("issued_on", issued_on.is_none()),
            ("grantor", grantor.is_none()),
            ("grantee", grantee.is_none()),
        ] {
            if absent {
                missing.push(sinergi_domain::FieldError::required(field));
            }
        }
        let (Some(issued_on), Some(grantor), Some(grantee)) = (issued_on, grantor, grantee) else {
            return Err(ApiError::Domain(DomainError::Validation(missing)));
        };
        let input = sinergi_domain::power_of_attorney::NewPowerOfAttorney {
            number: get(&m, "number").to_owned(),
            issued_on,
            grantor,
            grantee,
        };
        state
            .app
            .record_power_of_attorney(&v.caller(), id, aid, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("surat_kuasa", "naskah"), &form, m).await
}

/// The Indonesian party records a ministry's answer on a KSDPL/KSDLL.
pub async fn record_central_approval(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    use sinergi_domain::central_approval::{Ministry, NewCentralApproval};
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let letter_date = date(&m, "letter_date")?.ok_or_else(|| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::required("letter_date"),
            ]))
        })?;
        let input = NewCentralApproval {
            ministry: Ministry::parse(get(&m, "ministry")).unwrap_or(Ministry::Kemendagri),
            letter_number: get(&m, "letter_number").to_owned(),
            letter_date,
            approved: get(&m, "approved") != "tidak",
            note: opt(&m, "note"),
        };
        state
            .app
            .record_central_approval(&v.caller(), id, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(
        &state,
        &v,
        id,
        result,
        ("persetujuan_pusat", "pusat"),
        "pusat",
        m,
    )
    .await
}

/// The reviewing side's secretariat attaches the telaahan staf of one of its kajian.
pub async fn attach_telaahan(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kajian)): Path<(String, String)>,
    form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let result = async {
        let kajian: uuid::Uuid = kajian
            .parse()
            .map_err(|_| ApiError::Domain(DomainError::not_found("kajian", &kajian)))?;
        let up = super::upload::read(
            form,
            (
                "Pilih berkas telaahan staf (PDF, DOCX, PNG, atau JPEG).",
                "Choose the staff study file (PDF, DOCX, PNG or JPEG).",
            ),
        )
        .await?;
        state
            .app
            .attach_telaahan(
                &v.caller(),
                id,
                kajian,
                up.file_name.as_deref().unwrap_or_default(),
                &up.bytes,
            )
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(
        &state,
        &v,
        id,
        result,
        ("telaahan", "kajian"),
        "kajian",
        HashMap::new(),
    )
    .await
}

/// The telaahan staf file, for the reviewing side.
pub async fn download_telaahan(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kajian)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let kajian: uuid::Uuid = kajian
        .parse()
        .map_err(|_| ApiError::Domain(DomainError::not_found("kajian", &kajian)))?;
    let (file, bytes) = state
        .app
        .telaahan_file(&v.caller(), id, kajian)
        .await
        .map_err(ApiError::from)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, file.media_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                sinergi_documents::upload::attachment_disposition(&file.file_name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A party's OPD or secretariat saves its KAK (a new version).
pub async fn save_kak(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let expected_version = match get(&m, "expected_version").trim() {
            "" => None,
            t => Some(t.parse::<i64>().map_err(|_| {
                ApiError::Domain(DomainError::Validation(vec![
                    sinergi_domain::FieldError::required("expected_version"),
                ]))
            })?),
        };
        let input = sinergi_domain::kak::KakInput {
            expected_version,
            content: super::case::kak_content(&m),
        };
        let party = get(&m, "party").parse::<u16>().ok();
        state
            .app
            .save_kak(&v.caller(), id, party, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("kak", "kak"), "kak", m).await
}

pub async fn add_official(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let m = map(&pairs);
    let result = async {
        let input = NewOfficialInput {
            name: get(&m, "name").to_owned(),
            position: get(&m, "position").to_owned(),
            office: OfficeKind::parse(get(&m, "office")).unwrap_or(OfficeKind::Lainnya),
            acting: ActingStatus::parse(get(&m, "acting")).unwrap_or(ActingStatus::Definitif),
            unit: opt(&m, "unit"),
            nip: opt(&m, "nip"),
            email: opt(&m, "email"),
            phone: opt(&m, "phone"),
            term_start: date(&m, "term_start")?,
            term_end: date(&m, "term_end")?,
        };
        state
            .store
            .create_official(&code, &input, &v.actor(), state.clock.now())
            .await
            .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/wilayah/{code}?ok=pejabat#pejabat")).into_response()),
        Err(e) => {
            super::region::page_with_errors(&state, &v, &code, messages(&e, v.lang), m, e.status())
                .await
        }
    }
}

/// Records that the region sent a report up the line (issue 22).
pub async fn record_report(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    use sinergi_domain::report_submission::{Addressee, NewReportSubmission, ReportKind};
    require_staff(&v)?;
    let m = map(&pairs);
    let result = async {
        let sent_on = date(&m, "sent_on")?.ok_or_else(|| {
            ApiError::Domain(DomainError::Validation(vec![
                sinergi_domain::FieldError::required("sent_on"),
            ]))
        })?;
        let input = NewReportSubmission {
            kind: ReportKind::parse(get(&m, "report_kind")).unwrap_or(ReportKind::Pemetaan),
            period: get(&m, "period").to_owned(),
            addressee: Addressee::parse(get(&m, "addressee")).unwrap_or(Addressee::Menteri),
            letter_number: get(&m, "letter_number").to_owned(),
            sent_on,
            note: opt(&m, "report_note"),
        };
        state
            .app
            .record_report_submission(&v.caller(), &code, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/wilayah/{code}?ok=laporan_kirim#laporan-terkirim"
        ))
        .into_response()),
        Err(e) => {
            super::region::page_with_errors(&state, &v, &code, messages(&e, v.lang), m, e.status())
                .await
        }
    }
}

/// The region's secretariat adds an OPD to its list.
pub async fn add_opd(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let m = map(&pairs);
    let input = sinergi_domain::opd::NewOpdInput {
        name: get(&m, "name").to_owned(),
        abbreviation: opt(&m, "abbreviation"),
        urusan: get(&m, "urusan")
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    match state.app.add_opd(&v.caller(), &code, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/wilayah/{code}?ok=opd#opd")).into_response()),
        Err(e) => {
            let e = ApiError::from(e);
            super::region::page_with_errors(&state, &v, &code, messages(&e, v.lang), m, e.status())
                .await
        }
    }
}

/// The region's secretariat sets its numbering rule for one kind of document.
pub async fn set_numbering_rule(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    use sinergi_domain::numbering::NumberingRuleInput;
    require_staff(&v)?;
    let m = map(&pairs);
    let result = async {
        let kind = sinergi_app::numbered_kind(get(&m, "numbered_kind")).map_err(ApiError::from)?;
        let retention_years = match get(&m, "retention_years").trim() {
            "" => None,
            t => Some(t.parse::<u16>().map_err(|_| {
                ApiError::Domain(DomainError::Validation(vec![
                    sinergi_domain::FieldError::new(
                        "retention_years",
                        "invalid",
                        "Masa retensi ditulis dalam tahun, angka 1 sampai 100.",
                        "Write the retention in years, a number from 1 to 100.",
                    ),
                ]))
            })?),
        };
        let input = NumberingRuleInput {
            classification: get(&m, "classification").to_owned(),
            unit_code: get(&m, "unit_code").to_owned(),
            pattern: opt(&m, "pattern"),
            yearly_reset: m.contains_key("yearly_reset"),
            retention_years,
        };
        state
            .app
            .set_numbering_rule(&v.caller(), &code, kind, &input)
            .await
            .map_err(ApiError::from)
    }
    .await;
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/wilayah/{code}?ok=penomoran#penomoran")).into_response())
        }
        Err(e) => {
            super::region::page_with_errors(&state, &v, &code, messages(&e, v.lang), m, e.status())
                .await
        }
    }
}

pub async fn form_tkksd(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let m = map(&pairs);
    let members = pairs
        .iter()
        .filter_map(|(k, val)| {
            let id = k.strip_prefix("pos_")?.parse().ok()?;
            let position = TkksdPosition::parse(val)?;
            Some(TkksdMember {
                official: id,
                position,
            })
        })
        .collect();
    let input = NewTkksdInput {
        decree_number: opt(&m, "decree_number"),
        decree_date: None,
        period_start: None,
        period_end: None,
        secretariat_unit: opt(&m, "secretariat_unit"),
        members,
    };
    match state
        .store
        .create_tkksd(&code, &input, &v.actor(), state.clock.now())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/wilayah/{code}?ok=tkksd#tkksd")).into_response()),
        Err(e) => {
            let e = ApiError::from(e);
            super::region::page_with_errors(&state, &v, &code, messages(&e, v.lang), m, e.status())
                .await
        }
    }
}

/// A yes/no radio's value (`ya`, `tidak`); anything else is unanswered.
fn yes_no(m: &HashMap<String, String>, k: &str) -> Result<bool, ApiError> {
    match get(m, k) {
        "ya" => Ok(true),
        "tidak" => Ok(false),
        _ => Err(ApiError::Domain(DomainError::Validation(vec![
            sinergi_domain::FieldError::new(
                k,
                "required",
                "Pilih ya atau tidak.",
                "Choose yes or no.",
            ),
        ]))),
    }
}

/// One party's own assessment of the DPRD approval conditions (whether the cooperation
/// burdens the public and the region, and whether it is budgeted in this year's APBD); the
/// DPRD's decision itself is recorded through the `record_dprd_decision` step.
pub async fn assess_dprd(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, ordinal)): Path<(String, String)>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let m = map(&pairs);
    let result = async {
        let ordinal: u16 = ordinal
            .parse()
            .map_err(|_| ApiError::Domain(DomainError::not_found("party", &ordinal)))?;
        let case = state.store.get_case(id).await?;
        let mut dprd = case
            .parties
            .iter()
            .find(|p| p.ordinal == ordinal)
            .ok_or_else(|| ApiError::Domain(DomainError::not_found("party", ordinal)))?
            .dprd
            .clone();
        dprd.burdens_public = Some(yes_no(&m, "burdens_public")?);
        dprd.budgeted_in_current_apbd = Some(yes_no(&m, "budgeted")?);
        dprd.justification = opt(&m, "justification");
        let patch = PartyPatch {
            expected_version: get(&m, "expected_version").parse().unwrap_or(-1),
            status: None,
            document_number: None,
            signatory: None,
            contact: None,
            dprd: Some(dprd),
        };
        state
            .app
            .patch_party(&v.caller(), id, ordinal, &patch)
            .await
            .map_err(ApiError::from)
    }
    .await;
    finish(&state, &v, id, result, ("pihak", "pihak"), "dprd", m).await
}
