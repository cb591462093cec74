//! `/kerja-sama/{id}`: the case as a story, with the forms of what can be done now;
//! `/kerja-sama/baru`: opening a case.

use super::register::picked_code;
use super::{Chrome, PageError, Visitor, render};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sinergi_domain::access::Perm;
use sinergi_domain::agreement::{Agreement, AgreementKind};
use sinergi_domain::case::{
    Case, CaseKind, Direction, FieldInput, JointAct, NewCaseInput, PartyInput, Stage,
    TerminationReason, party_role,
};
use sinergi_domain::catalog::catalog;
use sinergi_domain::ids::CaseId;
use sinergi_domain::letter::LetterKind;
use sinergi_domain::meeting::{MeetingKind, NewMeetingInput, NextStep};
use sinergi_domain::official::Official;
use sinergi_domain::workflow::{Action, Recommendation, TransitionRequest};
use sinergi_domain::{DomainError, Lang, locale};
use sinergi_reference::TimeZone;
use std::collections::HashMap;

pub struct PartyCard {
    pub role: String,
    pub name: String,
    pub code: String,
    pub officials: Vec<String>,
    pub unit: Option<String>,
    pub number: Option<String>,
    pub signatory: Option<String>,
    pub dprd: String,
    pub ordinal: u16,
    /// The visitor may record this party's DPRD assessment (its own side, or the operator).
    pub can_assess: bool,
    /// The assessment so far: "ya", "tidak" or "" (not assessed), and its justification.
    pub burdens_public: &'static str,
    pub budgeted: &'static str,
    pub justification: String,
}

fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "ya",
        Some(false) => "tidak",
        None => "",
    }
}

pub struct Step {
    pub label: String,
    pub state: &'static str,
}

pub struct FieldRow {
    pub label: String,
    pub priority: bool,
    pub urusan: String,
}

pub struct MeetingCard {
    pub kind: String,
    pub title: String,
    pub date: String,
    pub time: Option<String>,
    pub place: String,
    pub host: String,
    pub participants: Vec<String>,
    pub agenda: Vec<String>,
    pub minutes: Option<String>,
    pub outcomes: Vec<String>,
    pub next_steps: Vec<String>,
}

pub struct LetterRow {
    pub kind: String,
    pub number: String,
    pub date: String,
    pub subject: String,
}

pub struct DocNode {
    pub kind: String,
    pub title: String,
    pub status: String,
    pub numbers: Vec<String>,
    pub signed: Option<String>,
    pub term: Option<String>,
    pub children: Vec<DocNode>,
}

pub struct HistoryRow {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub change: Option<String>,
    pub note: Option<String>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// One transition form, with what it asks for.
pub struct ActionForm {
    pub action: &'static str,
    pub label: String,
    pub needs_reviewer: bool,
    pub needs_letter: Option<&'static str>,
    pub needs_reply: bool,
    pub needs_dprd: bool,
    pub needs_reason: bool,
    pub needs_note: bool,
}

/// What the visitor typed into a form that was refused, so nothing is lost.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct MeetingForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub start_time: String,
    #[serde(default)]
    pub end_time: String,
    #[serde(default)]
    pub host_region: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub agenda: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub outcomes: String,
    #[serde(default)]
    pub next_steps: String,
}

#[derive(Template)]
#[template(path = "case.html")]
pub(crate) struct CasePage {
    chrome: Chrome,
    id: String,
    version: i64,
    title: String,
    kind: String,
    stage: String,
    fictional: bool,
    published: bool,
    object: Option<String>,
    background: Option<String>,
    story: Vec<String>,
    parties: Vec<PartyCard>,
    steps: Vec<Step>,
    off_path: Option<String>,
    fields: Vec<FieldRow>,
    objectives: Vec<String>,
    meetings: Vec<MeetingCard>,
    letters: Vec<LetterRow>,
    documents: Vec<DocNode>,
    history: Vec<HistoryRow>,
    sources: Vec<String>,
    actions: Vec<ActionForm>,
    reviewers: Vec<Choice>,
    letter_choices: Vec<(String, Vec<Choice>)>,
    party_choices: Vec<Choice>,
    reasons: Vec<Choice>,
    meeting_kinds: Vec<Choice>,
    errors: Vec<String>,
    error_form: String,
    meeting: MeetingForm,
    notice: Option<String>,
    /// What a refused form (letter, KB) posted, to fill it in again.
    prefill: HashMap<String, String>,
    signatories: Vec<Choice>,
    party_regions: Vec<Choice>,
    /// The visitor's own party's region: letters are sent by the visitor's own side.
    own_regions: Vec<Choice>,
    kb: Option<KbForm>,
    can_draft_kb: bool,
    /// What each side brings, field by field (the monitoring partial).
    synergy: super::synergy::Synergy,
    /// The scope checked against the pair's potential analysis (its own partial, rendered).
    potential_scope: String,
    can_edit: bool,
    /// The caller's side's private notes and what the partner shared.
    notes: Vec<NoteView>,
    can_note: bool,
    can_audit: bool,
    /// Pending consents to cancelling or ending the case, one line per party.
    proposals: Vec<String>,
}

pub struct NoteView {
    pub id: String,
    pub kind: String,
    pub body: String,
    pub author: String,
    pub when: String,
    pub own: bool,
    pub shared: bool,
}

/// The KB's signing data as the form shows it.
pub struct KbForm {
    pub id: String,
    pub version: i64,
    pub place: String,
    pub signed_on: String,
    pub parties: Vec<KbPartyForm>,
    pub signed: bool,
}

pub struct KbPartyForm {
    pub ordinal: u16,
    pub role: String,
    pub signatory: String,
    pub number: String,
    pub unpublished: bool,
    /// The visitor's own party: only its own number and signatory are editable.
    pub own: bool,
    /// The signatory and number as read-only text, for the other parties.
    pub summary: String,
}

impl CasePage {
    /// A refused form's value for `key`, or `default`.
    #[must_use]
    pub fn val<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.prefill.get(key).map_or(default, String::as_str)
    }
}

fn kind_label(k: MeetingKind, lang: Lang) -> &'static str {
    match k {
        MeetingKind::Penjajakan => lang.pick("Penjajakan", "Exploration"),
        MeetingKind::KajianTkksd => lang.pick("Kajian TKKSD", "TKKSD review"),
        MeetingKind::Negosiasi => lang.pick("Pembahasan naskah", "Negotiation"),
        MeetingKind::Penandatanganan => lang.pick("Penandatanganan", "Signing ceremony"),
        MeetingKind::Koordinasi => lang.pick("Koordinasi", "Coordination"),
        MeetingKind::Monitoring => {
            lang.pick("Monitoring dan evaluasi", "Monitoring and evaluation")
        }
        MeetingKind::Lainnya => lang.pick("Pertemuan", "Meeting"),
    }
}

fn action_label(a: &str, lang: Lang) -> String {
    let (id, en) = match a {
        "create" => ("Kerja sama dibuka", "Case opened"),
        "submit" => ("Diajukan ke TKKSD", "Submitted to the TKKSD"),
        "start_review" => ("Kajian TKKSD dimulai", "TKKSD review started"),
        "recommend" => ("Rekomendasi TKKSD", "TKKSD recommendation"),
        "resubmit" => ("Diajukan kembali", "Resubmitted"),
        "send_offer" => ("Penawaran dikirim", "Offer sent"),
        "mark_offer_delivered" => ("Penawaran diterima mitra", "Offer delivered"),
        "record_reply" => ("Jawaban mitra dicatat", "Partner's reply recorded"),
        "start_drafting" => ("Penyusunan KB dimulai", "Drafting started"),
        "finalize_kb" => ("Naskah KB final", "KB final"),
        "reopen_kb" => ("Naskah KB dibuka kembali", "KB reopened"),
        "sign_kb" => ("KB ditandatangani", "KB signed"),
        "record_signed" => ("KB yang telah ditandatangani dicatat", "Signed KB recorded"),
        "activate" => ("Pemeriksaan persetujuan DPRD", "DPRD gate checked"),
        "record_dprd_decision" => ("Keputusan DPRD dicatat", "DPRD decision recorded"),
        "end" => ("Kerja sama berakhir", "Cooperation ended"),
        "terminate_early" => ("Diakhiri lebih awal", "Terminated early"),
        "cancel" => ("Dibatalkan", "Cancelled"),
        "add_meeting" => ("Pertemuan dicatat", "Meeting recorded"),
        "add_letter" => ("Surat dicatat", "Letter recorded"),
        "update" => ("Isi kerja sama diubah", "Case content changed"),
        "update_party" => ("Data pihak diubah", "Party record changed"),
        "create_agreement" => ("Naskah dibuat", "Document created"),
        "update_agreement" => ("Naskah diubah", "Document changed"),
        other => return other.replace('_', " "),
    };
    lang.pick(id, en).to_owned()
}

fn stage_label(s: &str, lang: Lang) -> String {
    Stage::parse(s).map_or_else(
        || s.to_owned(),
        |st| lang.pick(st.label_id(), st.label_en()).to_owned(),
    )
}

/// The regulated path for a case of this direction.
fn path(direction: Direction, dprd: bool) -> Vec<Stage> {
    use Stage as S;
    let mut p = match direction {
        Direction::Keluar => vec![
            S::UsulanDraft,
            S::DiajukanKeTkksd,
            S::KajianTkksd,
            S::PenawaranDisiapkan,
            S::PenawaranDikirim,
            S::MenungguJawaban,
            S::PenyusunanKb,
        ],
        Direction::Masuk => vec![
            S::PenawaranMasuk,
            S::KajianTkksd,
            S::JawabanDikirim,
            S::PenyusunanKb,
        ],
    };
    p.extend([S::KbFinal, S::KbDitandatangani]);
    if dprd {
        p.push(S::MenungguDprd);
    }
    p.extend([S::Aktif, S::Berakhir]);
    p
}

fn tracker(case: &Case, lang: Lang) -> (Vec<Step>, Option<String>) {
    let dprd = matches!(case.stage, Stage::MenungguDprd | Stage::DitolakDprd)
        || case.parties.iter().any(|p| p.dprd.approved.is_some());
    let p = path(case.direction, dprd);
    let at = p.iter().position(|s| *s == case.stage);
    let off = at.is_none().then(|| {
        lang.pick(case.stage.label_id(), case.stage.label_en())
            .to_owned()
    });
    let steps = p
        .iter()
        .enumerate()
        .map(|(i, s)| Step {
            label: lang.pick(s.label_id(), s.label_en()).to_owned(),
            state: match at {
                Some(a) if i < a => "done",
                Some(a) if i == a => "current",
                _ => "todo",
            },
        })
        .collect();
    (steps, off)
}

fn doc_node(
    a: &Agreement,
    all: &[Agreement],
    officials: &HashMap<String, Official>,
    lang: Lang,
) -> DocNode {
    let numbers = a
        .parties
        .iter()
        .map(|p| {
            let n = match (&p.number, p.number_unpublished) {
                (Some(n), _) => n.clone(),
                (None, true) => lang
                    .pick("tidak dipublikasikan", "not published")
                    .to_owned(),
                (None, false) => "—".to_owned(),
            };
            format!("{}: {n}", party_role(p.ordinal))
        })
        .collect();
    let signers: Vec<String> = a
        .parties
        .iter()
        .filter_map(|p| {
            let name = p.signatory_name.clone().or_else(|| {
                p.signatory
                    .and_then(|s| officials.get(&s.to_string()).map(|o| o.name.clone()))
            })?;
            Some(match &p.signatory_title {
                Some(t) => format!("{name} ({t})"),
                None => name,
            })
        })
        .collect();
    let signed = a.status.is_signed().then(|| {
        let mut s = String::new();
        if let Some(d) = a.signed_on {
            s.push_str(&locale::date_long(d, lang));
        }
        if let Some(pl) = &a.place {
            s.push_str(&format!(", {pl}"));
        }
        if !signers.is_empty() {
            s.push_str(&format!(" — {}", signers.join(lang.pick(" dan ", " and "))));
        }
        s
    });
    let term = match (a.starts_on, a.ends_on) {
        (Some(s), Some(e)) => Some(format!(
            "{} – {}",
            locale::date_short(s, lang),
            locale::date_short(e, lang)
        )),
        _ => None,
    };
    DocNode {
        kind: a.kind.label_id().to_owned(),
        title: a.title.clone(),
        status: a.status.as_str().replace('_', " "),
        numbers,
        signed,
        term,
        children: all
            .iter()
            .filter(|c| c.parent == Some(a.id))
            .map(|c| doc_node(c, all, officials, lang))
            .collect(),
    }
}

fn action_form(a: &'static str, lang: Lang) -> ActionForm {
    let label = match a {
        "submit" => lang.pick("Ajukan ke TKKSD", "Submit to the TKKSD"),
        "start_review" => lang.pick("Mulai kajian TKKSD", "Start the TKKSD review"),
        "recommend" => lang.pick("Catat rekomendasi TKKSD", "Record the TKKSD recommendation"),
        "resubmit" => lang.pick("Ajukan kembali", "Resubmit"),
        "send_offer" => lang.pick("Kirim penawaran", "Send the offer"),
        "mark_offer_delivered" => lang.pick(
            "Tandai surat penawaran sudah diterima",
            "Acknowledge receipt of the offer letter",
        ),
        "review_offer" => lang.pick(
            "Catat kajian TKKSD atas penawaran",
            "Record the TKKSD review of the offer",
        ),
        "record_reply" => lang.pick(
            "Catat jawaban atas penawaran",
            "Record the reply to the offer",
        ),
        "withdraw_proposal" => lang.pick("Tarik usulan", "Withdraw the proposal"),
        "start_drafting" => lang.pick("Mulai penyusunan KB", "Start drafting the KB"),
        "finalize_kb" => lang.pick("Tetapkan naskah KB final", "Mark the KB final"),
        "reopen_kb" => lang.pick("Buka kembali naskah KB", "Reopen the KB draft"),
        "sign_kb" => lang.pick("Catat penandatanganan KB", "Record the KB signing"),
        "activate" => lang.pick(
            "Periksa persetujuan DPRD dan aktifkan",
            "Check the DPRD gate and activate",
        ),
        "record_dprd_decision" => lang.pick("Catat keputusan DPRD", "Record the DPRD decision"),
        "end" => lang.pick("Akhiri kerja sama", "End the cooperation"),
        "terminate_early" => lang.pick("Akhiri lebih awal", "Terminate early"),
        "cancel" => lang.pick("Batalkan", "Cancel"),
        _ => a,
    };
    ActionForm {
        action: a,
        label: label.to_owned(),
        needs_reviewer: matches!(a, "recommend" | "review_offer"),
        needs_letter: match a {
            "send_offer" => Some("penawaran"),
            "record_reply" => Some("jawaban"),
            "terminate_early" => Some("pemberitahuan_pengakhiran"),
            _ => None,
        },
        needs_reply: a == "record_reply",
        needs_dprd: a == "record_dprd_decision",
        needs_reason: matches!(a, "end" | "terminate_early"),
        needs_note: true,
    }
}

const REASONS: [TerminationReason; 9] = [
    TerminationReason::JangkaWaktuHabis,
    TerminationReason::KesepakatanParaPihak,
    TerminationReason::TujuanTercapai,
    TerminationReason::KeadaanKahar,
    TerminationReason::Wanprestasi,
    TerminationReason::DigantiPerjanjianBaru,
    TerminationReason::PerubahanKebijakan,
    TerminationReason::ObjekMusnah,
    TerminationReason::MerugikanKepentinganNasional,
];

/// Builds the case page; `errors`/`error_form` carry a refused form back with its input.
async fn page(
    state: &AppState,
    v: &Visitor,
    id: CaseId,
    errors: Vec<String>,
    error_form: &str,
    meeting: MeetingForm,
    notice: Option<String>,
) -> Result<CasePage, PageError> {
    page_with(
        state,
        v,
        id,
        errors,
        error_form,
        meeting,
        notice,
        HashMap::new(),
    )
    .await
}

/// As [`page`], with the values of a refused form.
#[expect(clippy::too_many_arguments, reason = "the parts of one page")]
#[expect(clippy::too_many_lines, reason = "one page's view model")]
pub(crate) async fn page_with(
    state: &AppState,
    v: &Visitor,
    id: CaseId,
    errors: Vec<String>,
    error_form: &str,
    meeting: MeetingForm,
    notice: Option<String>,
    prefill: HashMap<String, String>,
) -> Result<CasePage, PageError> {
    let lang = v.lang;
    let case = state.store.get_case(id).await?;
    if !case.published && !v.staff {
        return Err(DomainError::not_found("case", id).into());
    }
    let regions: Vec<String> = case
        .parties
        .iter()
        .filter_map(|p| p.region.as_ref().map(ToString::to_string))
        .collect();
    let officials = state.store.officials_of_regions(&regions).await?;
    let by_id: HashMap<String, Official> = officials
        .iter()
        .map(|o| (o.id.to_string(), o.clone()))
        .collect();
    let meetings = state.store.list_meetings(id).await?;
    let letters = state.store.list_letters(id).await?;
    let agreements = state.store.list_agreements(id).await?;
    let history = state.store.case_history(id).await?;
    let rules = state.store.rules_in_force(state.clock.now().date()).await?;
    let dir = state.store.region_directory(&regions).await?;
    let zones: Vec<TimeZone> = case
        .parties
        .iter()
        .filter_map(|p| p.region.as_ref().and_then(|r| dir.zone(r)))
        .collect();
    let name_of = |code: &str| {
        case.parties
            .iter()
            .find(|p| p.region.as_ref().is_some_and(|r| r.as_str() == code))
            .map_or_else(|| code.to_owned(), |p| p.name.clone())
    };

    let parties = case
        .parties
        .iter()
        .map(|p| {
            let code = p
                .region
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let kb_party = agreements
                .iter()
                .find(|a| a.kind == AgreementKind::Kb)
                .and_then(|kb| kb.parties.iter().find(|x| x.ordinal == p.ordinal));
            PartyCard {
                role: party_role(p.ordinal),
                name: p.name.clone(),
                officials: officials
                    .iter()
                    .filter(|o| o.region.as_str() == code)
                    .map(|o| format!("{} — {}", o.name, o.title()))
                    .collect(),
                unit: p.contact.unit.clone(),
                number: kb_party.and_then(|k| match (&k.number, k.number_unpublished) {
                    (Some(n), _) => Some(n.clone()),
                    (None, true) => Some(
                        lang.pick("nomor KB tidak dipublikasikan", "KB number not published")
                            .to_owned(),
                    ),
                    _ => None,
                }),
                signatory: p
                    .signatory
                    .and_then(|s| by_id.get(&s.to_string()))
                    .map(|o| format!("{} ({})", o.name, o.title())),
                dprd: match p.dprd.required(case.kind, &rules) {
                    None => lang
                        .pick(
                            "Syarat persetujuan DPRD belum dinilai",
                            "DPRD conditions not assessed",
                        )
                        .to_owned(),
                    Some(false) => lang
                        .pick(
                            "Tidak memerlukan persetujuan DPRD",
                            "No DPRD approval needed",
                        )
                        .to_owned(),
                    Some(true) => match p.dprd.approved {
                        Some(true) => lang
                            .pick("Disetujui DPRD", "Approved by the DPRD")
                            .to_owned(),
                        Some(false) => lang.pick("Ditolak DPRD", "Rejected by the DPRD").to_owned(),
                        None => lang
                            .pick("Memerlukan persetujuan DPRD", "Needs DPRD approval")
                            .to_owned(),
                    },
                },
                ordinal: p.ordinal,
                can_assess: v.can(Perm::PartyEdit)
                    && (v.principal.region.is_none()
                        || v.principal.region.as_deref() == Some(code.as_str())),
                burdens_public: yes_no(p.dprd.burdens_public),
                budgeted: yes_no(p.dprd.budgeted_in_current_apbd),
                justification: p.dprd.justification.clone().unwrap_or_default(),
                code,
            }
        })
        .collect();
    let (steps, off_path) = tracker(&case, lang);
    let cat = catalog();
    let fields = case
        .fields
        .iter()
        .map(|f| FieldRow {
            label: f.label.clone(),
            priority: f.priority,
            urusan: f
                .urusan
                .iter()
                .map(|u| {
                    cat.urusan
                        .iter()
                        .find(|x| &x.code == u)
                        .map_or_else(|| u.clone(), |x| format!("{} ({u})", x.name))
                })
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let meeting_cards: Vec<MeetingCard> = meetings
        .iter()
        .map(|m| MeetingCard {
            kind: kind_label(m.kind, lang).to_owned(),
            title: m.title.clone(),
            date: locale::date_long(m.date, lang),
            time: m
                .start_time
                .map(|t| locale::time_label(t, m.timezone, &zones, lang)),
            place: m.place.clone(),
            host: name_of(m.host_region.as_str()),
            participants: m
                .participants
                .iter()
                .map(|p| format!("{} — {}", p.name, p.position))
                .collect(),
            agenda: m.agenda.clone(),
            minutes: m.minutes.clone(),
            outcomes: m.outcomes.clone(),
            next_steps: m
                .next_steps
                .iter()
                .map(|n| match n.due_on {
                    Some(d) => format!("{} ({})", n.text, locale::date_long(d, lang)),
                    None => n.text.clone(),
                })
                .collect(),
        })
        .collect();
    let mut story = Vec::new();
    for m in &meetings {
        let who: Vec<String> = m
            .participants
            .iter()
            .map(|p| format!("{} ({})", p.name, p.position))
            .collect();
        let mut s = format!(
            "{}, {}: {}",
            locale::date_long(m.date, lang),
            m.place,
            kind_label(m.kind, lang)
        );
        if !who.is_empty() {
            s.push_str(&format!(" — {}", who.join(lang.pick(" dan ", " and "))));
        }
        if let Some(o) = m.outcomes.first() {
            s.push_str(&format!(". {o}"));
        }
        story.push(s);
    }
    let letter_rows = letters
        .iter()
        .map(|l| LetterRow {
            kind: l.kind.as_str().replace('_', " "),
            number: l.number.clone().unwrap_or_else(|| "—".to_owned()),
            date: locale::date_short(l.date, lang),
            subject: l.subject.clone(),
        })
        .collect();
    let documents = agreements
        .iter()
        .filter(|a| a.parent.is_none())
        .map(|a| doc_node(a, &agreements, &by_id, lang))
        .collect();
    let history_rows = history
        .iter()
        .rev()
        .map(|h| HistoryRow {
            when: {
                let d = h
                    .at
                    .to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
                format!(
                    "{} {} WIB",
                    locale::date_short(d.date(), lang),
                    locale::time_hm(d.time())
                )
            },
            actor: h.actor.clone(),
            action: action_label(&h.action, lang),
            change: match (&h.from_stage, &h.to_stage) {
                (Some(f), Some(t)) if f != t => Some(format!(
                    "{} → {}",
                    stage_label(f, lang),
                    stage_label(t, lang)
                )),
                (None, Some(t)) => Some(stage_label(t, lang)),
                _ => None,
            },
            note: h.note.clone(),
        })
        .collect();
    // The caller's own side, when their region is a party and they may read its notes.
    let party_side: Option<String> = v.principal.region.clone().filter(|r| {
        case.parties
            .iter()
            .any(|p| p.region.as_ref().is_some_and(|c| c.as_str() == r))
    });
    let own_side = party_side.clone().filter(|_| v.can(Perm::NoteRead));
    let unit_involved = v
        .access
        .as_ref()
        .and_then(|a| a.case.as_ref())
        .is_some_and(|c| c.involves_unit(&v.principal));
    let mine = sinergi_domain::authority::own_party(&v.principal, &case);
    let own_region: Option<String> = mine.and_then(|p| p.region.as_ref().map(ToString::to_string));
    let operator = v.principal.has(sinergi_domain::access::Role::Operator);
    let proposed_by_other = |act: JointAct| {
        case.parties.iter().any(|p| {
            Some(p.ordinal) != mine.map(|m| m.ordinal)
                && p.acts.consent.as_ref().is_some_and(|c| c.act == act)
        })
    };
    let actions = if v.staff {
        sinergi_domain::authority::available_steps(&v.principal, &case, unit_involved)
            .into_iter()
            .map(|a| {
                let mut f = action_form(a, lang);
                if a == "cancel" && case.offered && proposed_by_other(JointAct::Cancel) {
                    f.label = lang
                        .pick("Setujui pembatalan", "Consent to cancelling")
                        .to_owned();
                }
                if a == "end" && proposed_by_other(JointAct::End) {
                    f.label = lang
                        .pick("Setujui pengakhiran", "Consent to ending")
                        .to_owned();
                }
                f
            })
            .collect()
    } else {
        Vec::new()
    };
    let proposals: Vec<String> = case
        .parties
        .iter()
        .filter_map(|p| {
            p.acts.consent.as_ref().map(|c| {
                format!(
                    "{} {} {} ({}){}",
                    p.short_name(),
                    lang.pick("menyetujui", "consents to"),
                    c.act.label(lang),
                    locale::date_long(c.on, lang),
                    c.note
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                )
            })
        })
        .collect();
    let members = {
        let mut out = Vec::new();
        let reviewing: Vec<String> = if operator {
            regions.clone()
        } else {
            own_region.iter().cloned().collect()
        };
        for r in &reviewing {
            if let Some(t) = state.store.current_tkksd(r).await? {
                for m in &t.members {
                    if let Some(o) = by_id.get(&m.official.to_string()) {
                        out.push(Choice {
                            value: o.id.to_string(),
                            label: format!("{} — {} ({})", o.name, o.title(), m.position.as_str()),
                        });
                    }
                }
            }
        }
        out
    };
    let letter_choices = [
        LetterKind::Penawaran,
        LetterKind::Jawaban,
        LetterKind::PemberitahuanPengakhiran,
    ]
    .iter()
    .map(|k| {
        (
            k.as_str().to_owned(),
            letters
                .iter()
                .filter(|l| l.kind == *k)
                .filter(|l| {
                    operator || l.from_region.as_ref().map(ToString::to_string) == own_region
                })
                .map(|l| Choice {
                    value: l.id.to_string(),
                    label: format!("{} — {}", l.number.clone().unwrap_or_default(), l.subject),
                })
                .collect(),
        )
    })
    .collect();
    let mut meeting = meeting;
    if meeting.host_region.is_empty() {
        meeting.host_region = regions.first().cloned().unwrap_or_default();
    }
    let kb = agreements
        .iter()
        .find(|a| a.kind == AgreementKind::Kb)
        .map(|k| KbForm {
            id: k.id.to_string(),
            version: k.version,
            place: k.place.clone().unwrap_or_default(),
            signed_on: k.signed_on.map(|d| d.to_string()).unwrap_or_default(),
            signed: k.status.is_signed(),
            parties: k
                .parties
                .iter()
                .map(|p| KbPartyForm {
                    ordinal: p.ordinal,
                    role: party_role(p.ordinal),
                    signatory: p.signatory.map(|s| s.to_string()).unwrap_or_default(),
                    number: p.number.clone().unwrap_or_default(),
                    unpublished: p.number_unpublished,
                    own: operator || p.region.as_ref().map(ToString::to_string) == own_region,
                    summary: format!(
                        "{} · {}",
                        p.signatory
                            .and_then(|s| by_id.get(&s.to_string()))
                            .map_or_else(
                                || "—".to_owned(),
                                |o| format!("{} ({})", o.name, o.title())
                            ),
                        p.number.clone().unwrap_or_else(|| {
                            lang.pick("nomor belum diisi", "no number yet").to_owned()
                        })
                    ),
                })
                .collect(),
        });
    Ok(CasePage {
        synergy: super::synergy::synergy(state, &case).await?,
        signatories: officials
            .iter()
            .filter(|o| operator || Some(o.region.to_string()) == own_region)
            .map(|o| Choice {
                value: o.id.to_string(),
                label: format!("{} — {} ({})", o.name, o.title(), o.region),
            })
            .collect(),
        own_regions: case
            .parties
            .iter()
            .filter(|p| operator || p.region.as_ref().map(ToString::to_string) == own_region)
            .filter_map(|p| {
                p.region.as_ref().map(|r| Choice {
                    value: r.to_string(),
                    label: format!("{} — {}", party_role(p.ordinal), p.name),
                })
            })
            .collect(),
        party_regions: case
            .parties
            .iter()
            .filter_map(|p| {
                p.region.as_ref().map(|r| Choice {
                    value: r.to_string(),
                    label: format!("{} — {}", party_role(p.ordinal), p.name),
                })
            })
            .collect(),
        can_draft_kb: kb.is_none() && !case.stage.is_final() && !case.stage.kb_signed(),
        can_edit: v.can(Perm::CaseEdit),
        can_note: v.can(Perm::NoteWrite) && own_side.is_some(),
        can_audit: v.can(Perm::AuditRead),
        proposals,
        notes: if party_side.is_some() {
            state
                .store
                .list_notes(id, own_side.as_deref())
                .await?
                .into_iter()
                .filter(|n| own_side.as_deref() == Some(n.region.as_str()) || n.shared)
                .map(|n| NoteView {
                    id: n.id.to_string(),
                    kind: note_kind(&n.kind, v.lang).to_owned(),
                    own: own_side.as_deref() == Some(n.region.as_str()),
                    shared: n.shared,
                    body: n.body,
                    author: format!("{} · {}", n.author, n.region),
                    when: sinergi_domain::locale::date_long(n.created_at.date(), v.lang),
                })
                .collect()
        } else {
            Vec::new()
        },
        potential_scope: super::potential::scope_html(state, v, &case).await,
        kb,
        prefill,
        chrome: Chrome::new(v, "case"),
        id: case.id.to_string(),
        version: case.version,
        kind: case.kind.label_id().to_owned(),
        stage: lang
            .pick(case.stage.label_id(), case.stage.label_en())
            .to_owned(),
        fictional: case.fictional,
        published: case.published,
        object: case.object.clone(),
        background: case.background.clone(),
        story,
        parties,
        steps,
        off_path,
        fields,
        objectives: case.objectives.clone(),
        meetings: meeting_cards,
        letters: letter_rows,
        documents,
        history: history_rows,
        sources: case.sources.clone(),
        actions,
        reviewers: members,
        letter_choices,
        party_choices: case
            .parties
            .iter()
            .filter(|p| operator || p.region.as_ref().map(ToString::to_string) == own_region)
            .map(|p| Choice {
                value: p.ordinal.to_string(),
                label: format!("{} — {}", party_role(p.ordinal), p.name),
            })
            .collect(),
        reasons: REASONS
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: r.as_str().replace('_', " "),
            })
            .collect(),
        meeting_kinds: MeetingKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: kind_label(*k, lang).to_owned(),
            })
            .collect(),
        errors,
        error_form: error_form.to_owned(),
        meeting,
        notice,
        title: case.title,
    })
}

/// The case page again after a refused form: the reasons, what was typed, and the status of
/// the refusal.
pub(crate) async fn refused(
    state: &AppState,
    v: &Visitor,
    id: CaseId,
    e: &ApiError,
    form: &str,
    meeting: MeetingForm,
    prefill: HashMap<String, String>,
) -> Result<Response, PageError> {
    let mut res = render(
        &page_with(
            state,
            v,
            id,
            messages(e, v.lang),
            form,
            meeting,
            None,
            prefill,
        )
        .await?,
    );
    *res.status_mut() = e.status();
    Ok(res)
}

pub(crate) fn parse_id(s: &str) -> Result<CaseId, PageError> {
    s.parse()
        .map_err(|_| PageError(DomainError::not_found("case", s).into()))
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    Ok(render(
        &page(&state, &v, id, Vec::new(), "", MeetingForm::default(), None).await?,
    ))
}

/// The messages of a refusal, field by field.
pub(crate) fn messages(e: &ApiError, lang: Lang) -> Vec<String> {
    let mut out = vec![e.message(lang)];
    if let ApiError::Domain(d) = e {
        out.extend(
            d.fields()
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message(lang))),
        );
    }
    out
}

pub(crate) fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The actor of a change; the authorisation layer has already refused anyone not allowed.
pub(crate) fn require_staff(v: &Visitor) -> Result<sinergi_domain::access::Actor, PageError> {
    if v.staff {
        Ok(v.actor())
    } else {
        Err(ApiError::Unauthorized.into())
    }
}

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
        Ok(_) => Ok(Redirect::to(&format!("/kerja-sama/{id}#pertemuan")).into_response()),
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
}

fn invalid(field: &str, lang_id: &str, lang_en: &str) -> ApiError {
    ApiError::Domain(DomainError::Validation(vec![
        sinergi_domain::FieldError::new(field, "invalid", lang_id, lang_en),
    ]))
}

fn parse_date(s: &str, field: &str) -> Result<time::Date, ApiError> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).map_err(|_| {
        invalid(
            field,
            "Tanggal wajib diisi dengan format TTTT-BB-HH.",
            "A date in the form YYYY-MM-DD is required.",
        )
    })
}

fn parse_reason(s: &str) -> Result<TerminationReason, ApiError> {
    REASONS
        .iter()
        .copied()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| invalid("reason", "Pilih alasan pengakhiran.", "Choose a reason."))
}

fn action_of(f: &TransitionForm) -> Result<Action, ApiError> {
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
        },
        "terminate_early" => Action::TerminateEarly {
            reason: parse_reason(&f.reason)?,
            effective_on: parse_date(&f.effective_on, "effective_on")?,
            notice_letter: letter()?,
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
    Form(f): Form<TransitionForm>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let id = parse_id(&id)?;
    let result = match action_of(&f) {
        Ok(action) => {
            let req = TransitionRequest {
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
        Ok(_) => Ok(Redirect::to(&format!("/kerja-sama/{id}")).into_response()),
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

#[derive(Debug, Default, Clone)]
pub struct NewCaseForm {
    pub title: String,
    pub kind: String,
    pub party1: String,
    pub party2: String,
    pub party3: String,
    pub object: String,
    pub objectives: String,
    pub fields: Vec<String>,
    pub priority: String,
    pub published: Option<String>,
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewCasePage<'a> {
    chrome: Chrome,
    form: NewCaseForm,
    errors: Vec<String>,
    kinds: Vec<Choice>,
    fields: Vec<Choice>,
    daerah: &'a [(String, String)],
}

async fn new_page(
    state: &AppState,
    v: &Visitor,
    form: NewCaseForm,
    errors: Vec<String>,
) -> Result<Response, PageError> {
    Ok(render(&NewCasePage {
        chrome: Chrome::new(v, "new"),
        form,
        errors,
        kinds: CaseKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: k.label_id().to_owned(),
            })
            .collect(),
        fields: catalog()
            .fields
            .iter()
            .map(|f| Choice {
                value: f.code.clone(),
                label: f.name.clone(),
            })
            .collect(),
        daerah: state.daerah().await?,
    }))
}

pub async fn new_form(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    require_staff(&v)?;
    new_page(
        &state,
        &v,
        NewCaseForm {
            kind: "ksdd_sukarela".to_owned(),
            ..NewCaseForm::default()
        },
        Vec::new(),
    )
    .await
}

impl NewCaseForm {
    /// From the posted pairs (checkboxes repeat the `fields` key).
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = Self::default();
        for (k, v) in pairs {
            match k.as_str() {
                "title" => f.title = v,
                "kind" => f.kind = v,
                "party1" => f.party1 = v,
                "party2" => f.party2 = v,
                "party3" => f.party3 = v,
                "object" => f.object = v,
                "objectives" => f.objectives = v,
                "fields" => f.fields.push(v),
                "priority" => f.priority = v,
                "published" => f.published = Some(v),
                _ => {}
            }
        }
        f
    }

    #[must_use]
    pub fn has_field(&self, code: &str) -> bool {
        self.fields.iter().any(|f| f == code)
    }
}

/// A picker's value ("62.71 — Kota Palangkaraya"), a bare code, or a typed name in any
/// common spelling ("Palangka Raya") that names exactly one government.
async fn resolve_region(state: &AppState, text: &str) -> Result<String, PageError> {
    let code = picked_code(text);
    if sinergi_reference::level_of_code(&code).is_some() {
        return Ok(code);
    }
    let found = state
        .store
        .list_regions(&sinergi_store::RegionFilter {
            q: Some(text.trim().to_owned()),
            daerah_only: true,
            limit: 2,
            ..Default::default()
        })
        .await?;
    Ok(if found.total == 1 {
        found.items[0].code.clone()
    } else {
        text.trim().to_owned()
    })
}

pub async fn create(
    State(state): State<AppState>,
    v: Visitor,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_staff(&v)?;
    let f = NewCaseForm::from_pairs(pairs);
    let mut parties: Vec<PartyInput> = Vec::new();
    for p in [&f.party1, &f.party2, &f.party3]
        .into_iter()
        .filter(|p| !p.trim().is_empty())
    {
        parties.push(PartyInput {
            region: Some(resolve_region(&state, p).await?),
            name: None,
            contact: sinergi_domain::case::Contact::default(),
        });
    }
    let result = match CaseKind::parse(&f.kind) {
        None => Err(invalid(
            "kind",
            "Pilih jenis kerja sama.",
            "Choose the kind of cooperation.",
        )),
        Some(kind) => {
            let input = NewCaseInput {
                title: f.title.clone(),
                kind,
                direction: Direction::Keluar,
                object: Some(f.object.clone()),
                background: None,
                parties,
                fields: f
                    .fields
                    .iter()
                    .map(|c| FieldInput {
                        code: Some(c.clone()),
                        label: None,
                        priority: *c == f.priority,
                        urusan: None,
                    })
                    .collect(),
                objectives: lines(&f.objectives),
                sources: Vec::new(),
                published: f.published.is_some(),
                fictional: false,
                predecessor: None,
            };
            state
                .app
                .create_case(&v.caller(), &input)
                .await
                .map_err(ApiError::from)
        }
    };
    match result {
        Ok(case) => Ok(Redirect::to(&format!("/kerja-sama/{}", case.id)).into_response()),
        Err(e) => {
            let status = e.status();
            let mut res = new_page(&state, &v, f, messages(&e, v.lang)).await?;
            *res.status_mut() = if status == StatusCode::INTERNAL_SERVER_ERROR {
                status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(res)
        }
    }
}

fn note_kind(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "tkksd_review" => lang.pick("Telaahan TKKSD", "TKKSD review"),
        "dprd_paper" => lang.pick("Dokumen DPRD", "DPRD paper"),
        _ => lang.pick("Catatan internal", "Internal note"),
    }
}
