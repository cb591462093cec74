//! `/kerja-sama/{id}`: the case as a story, with the forms of what can be done now — the page
//! model built from the case's records.

use crate::error::ApiError;
use crate::pages::{Chrome, PageError, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::access::Perm;
use sinergi_domain::agreement::{Agreement, AgreementKind};
use sinergi_domain::case::{Case, Direction, JointAct, Stage, party_role};
use sinergi_domain::catalog::catalog;
use sinergi_domain::ids::CaseId;
use sinergi_domain::letter::LetterKind;
use sinergi_domain::meeting::MeetingKind;
use sinergi_domain::official::Official;
use sinergi_domain::{Lang, locale};
use sinergi_reference::TimeZone;
use std::collections::HashMap;

use super::*;
use crate::pages::common::*;

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

/// One transition form, with what it asks for.
pub struct ActionForm {
    pub action: &'static str,
    pub label: String,
    pub needs_reviewer: bool,
    pub needs_letter: Option<&'static str>,
    pub needs_reply: bool,
    pub needs_dprd: bool,
    pub needs_reason: bool,
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
    /// One form per PKS (its signing data and its steps).
    pks: Vec<KbForm>,
    /// The case's fields that have no PKS yet (offered by the new-PKS form); empty when a
    /// PKS cannot be drafted now.
    pks_fields: Vec<Choice>,
    /// What each side brings, field by field (the monitoring partial).
    synergy: crate::pages::synergy::Synergy,
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
    /// For a PKS: the catalogue key of its field (the form's id), its title, its status in
    /// words, its term, and the steps it may take now.
    pub key: String,
    pub title: String,
    pub status: String,
    pub starts_on: String,
    pub ends_on: String,
    pub steps: Vec<Choice>,
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
    /// The number of the surat kuasa when an official signs a PKS for the kepala daerah.
    pub power_of_attorney: String,
}

impl CasePage {
    /// A refused form's value for `key`, or `default`.
    #[must_use]
    pub fn val<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.prefill.get(key).map_or(default, String::as_str)
    }
}

/// The regulated path for a case of this direction.
pub(crate) fn path(direction: Direction, dprd: bool) -> Vec<Stage> {
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

/// The regulated path with each stage's state: "done" only when the history records the
/// case in that stage; a stage the case went past without a record is "unrecorded" (shown as
/// "tidak tercatat"), never "dilalui".
pub(crate) fn tracker(
    case: &Case,
    history: &[sinergi_store::HistoryEntry],
    lang: Lang,
) -> (Vec<Step>, Option<String>) {
    let recorded: std::collections::HashSet<&str> = history
        .iter()
        .flat_map(|h| [h.from_stage.as_deref(), h.to_stage.as_deref()])
        .flatten()
        .collect();
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
                Some(a) if i == a => "current",
                _ if recorded.contains(s.as_str()) => "done",
                Some(a) if i < a => "unrecorded",
                _ => "todo",
            },
        })
        .collect();
    (steps, off)
}

pub(crate) fn doc_node(
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
        status: agreement_status(a.status, lang).to_owned(),
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

pub(crate) fn action_form(a: &'static str, lang: Lang) -> ActionForm {
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
    }
}

/// Builds the case page; `errors`/`error_form` carry a refused form back with its input.
pub(crate) async fn page(
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
    let r = Records::load(state, v, id).await?;
    let vp = Viewpoint::of(v, &r.case);
    let case = &r.case;
    // The caller's own side, when their region is a party and they may read its notes.
    let party_side: Option<String> = v.principal.region.clone().filter(|reg| {
        case.parties
            .iter()
            .any(|p| p.region.as_ref().is_some_and(|c| c.as_str() == reg))
    });
    let own_side = party_side.clone().filter(|_| v.can(Perm::NoteRead));
    let unit_involved = v
        .access
        .as_ref()
        .and_then(|a| a.case.as_ref())
        .is_some_and(|c| c.involves_unit(&v.principal));
    let (steps, off_path) = tracker(case, &r.history, lang);
    let mut meeting = meeting;
    if meeting.host_region.is_empty() {
        meeting.host_region = r.regions.first().cloned().unwrap_or_default();
    }
    let kb = kb_form(&r, &vp, lang);
    // A refused form comes back without recomputing the regional-potential analysis.
    let potential_scope = if errors.is_empty() {
        crate::pages::potential::scope_html(state, v, case).await
    } else {
        String::new()
    };
    Ok(CasePage {
        synergy: crate::pages::synergy::synergy(state, case).await?,
        signatories: r
            .officials
            .iter()
            .filter(|o| vp.is_own(Some(&o.region)))
            .map(|o| Choice {
                value: o.id.to_string(),
                label: format!("{} — {} ({})", o.name, o.title(), o.region),
            })
            .collect(),
        own_regions: case
            .parties
            .iter()
            .filter(|p| vp.is_own(p.region.as_ref()))
            .filter_map(|p| {
                p.region.as_ref().map(|c| Choice {
                    value: c.to_string(),
                    label: format!("{} — {}", party_role(p.ordinal), p.name),
                })
            })
            .collect(),
        party_regions: case
            .parties
            .iter()
            .filter_map(|p| {
                p.region.as_ref().map(|c| Choice {
                    value: c.to_string(),
                    label: format!("{} — {}", party_role(p.ordinal), p.name),
                })
            })
            .collect(),
        can_draft_kb: kb.is_none() && !case.stage.is_final() && !case.stage.kb_signed(),
        pks: pks_forms(&r, &vp, lang),
        pks_fields: if case.stage == Stage::Aktif && party_side.is_some() {
            fields_without_pks(&r)
        } else {
            Vec::new()
        },
        can_edit: v.can(Perm::CaseEdit),
        can_note: v.can(Perm::NoteWrite) && own_side.is_some(),
        can_audit: v.can(Perm::AuditRead),
        proposals: proposals(case, lang),
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
                    when: v.stamp(n.created_at),
                })
                .collect()
        } else {
            Vec::new()
        },
        potential_scope,
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
        story: story(&r.meetings, lang),
        parties: party_cards(&r, v),
        steps,
        off_path,
        fields: field_rows(case),
        objectives: case.objectives.clone(),
        meetings: meeting_cards(&r, lang),
        letters: letter_rows(&r.letters, lang),
        documents: r
            .agreements
            .iter()
            .filter(|a| a.parent.is_none())
            .map(|a| doc_node(a, &r.agreements, &r.by_id, lang))
            .collect(),
        history: history_rows(&r.history, lang),
        sources: case.sources.clone(),
        actions: action_forms(case, v, unit_involved),
        reviewers: reviewers(state, &r, &vp).await?,
        letter_choices: letter_choices(&r, &vp),
        party_choices: case
            .parties
            .iter()
            .filter(|p| vp.is_own(p.region.as_ref()))
            .map(|p| Choice {
                value: p.ordinal.to_string(),
                label: format!("{} — {}", party_role(p.ordinal), p.name),
            })
            .collect(),
        reasons: REASONS
            .iter()
            .map(|x| Choice {
                value: x.as_str().to_owned(),
                label: reason_label(*x, lang).to_owned(),
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
        title: case.title.clone(),
    })
}

/// What the case page reads, each record once.
pub(crate) struct Records {
    pub case: Case,
    pub regions: Vec<String>,
    pub officials: Vec<Official>,
    pub by_id: HashMap<String, Official>,
    pub meetings: Vec<sinergi_domain::meeting::Meeting>,
    pub letters: Vec<sinergi_domain::letter::Letter>,
    pub agreements: Vec<Agreement>,
    pub history: Vec<sinergi_store::HistoryEntry>,
    pub rules: sinergi_domain::rules::RuleSet,
    pub zones: Vec<TimeZone>,
}

impl Records {
    /// Reads a case the visitor may read, with everything its page shows.
    async fn load(state: &AppState, v: &Visitor, id: CaseId) -> Result<Self, PageError> {
        let case = state.app.readable_case(&v.principal, id).await?;
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
        let dir = state.store.region_directory(&regions).await?;
        let zones: Vec<TimeZone> = case
            .parties
            .iter()
            .filter_map(|p| p.region.as_ref().and_then(|r| dir.zone(r)))
            .collect();
        Ok(Self {
            meetings: state.store.list_meetings(id).await?,
            letters: state.store.list_letters(id).await?,
            agreements: state.store.list_agreements(id).await?,
            history: state.store.case_history(id).await?,
            rules: state.store.rules_in_force(state.clock.now().date()).await?,
            case,
            regions,
            officials,
            by_id,
            zones,
        })
    }
}

/// Who the visitor is on this case: their own party's region, whether they are the operator.
pub(crate) struct Viewpoint {
    pub own_region: Option<String>,
    pub operator: bool,
}

impl Viewpoint {
    fn of(v: &Visitor, case: &Case) -> Self {
        let mine = sinergi_domain::authority::own_party(&v.principal, case);
        Self {
            own_region: mine.and_then(|p| p.region.as_ref().map(ToString::to_string)),
            operator: v.principal.has(sinergi_domain::access::Role::Operator),
        }
    }

    /// Whether the visitor acts for (or, as the operator, may act for) this region.
    fn is_own(&self, region: Option<&sinergi_domain::region::RegionCode>) -> bool {
        self.operator || region.map(ToString::to_string) == self.own_region
    }
}

/// The parties side by side: officials, number, signatory, DPRD gate.
fn party_cards(r: &Records, v: &Visitor) -> Vec<PartyCard> {
    let lang = v.lang;
    r.case
        .parties
        .iter()
        .map(|p| {
            let code = p
                .region
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let kb_party = r
                .agreements
                .iter()
                .find(|a| a.kind == AgreementKind::Kb)
                .and_then(|kb| kb.parties.iter().find(|x| x.ordinal == p.ordinal));
            PartyCard {
                role: party_role(p.ordinal),
                name: p.name.clone(),
                officials: r
                    .officials
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
                    .and_then(|s| r.by_id.get(&s.to_string()))
                    .map(|o| format!("{} ({})", o.name, o.title())),
                dprd: match p.dprd.required(r.case.kind, &r.rules) {
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
                // Each party assesses its own DPRD conditions (the partner too).
                can_assess: sinergi_domain::authority::authorize(
                    &v.principal,
                    &r.case,
                    &sinergi_domain::authority::of_party_record(p.ordinal),
                    false,
                    None,
                )
                .is_ok(),
                burdens_public: yes_no(p.dprd.burdens_public),
                budgeted: yes_no(p.dprd.budgeted_in_current_apbd),
                justification: p.dprd.justification.clone().unwrap_or_default(),
                code,
            }
        })
        .collect()
}

/// The fields with their urusan.
fn field_rows(case: &Case) -> Vec<FieldRow> {
    let cat = catalog();
    case.fields
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
        .collect()
}

/// The meetings, times in the host's zone and the parties'.
fn meeting_cards(r: &Records, lang: Lang) -> Vec<MeetingCard> {
    let name_of = |code: &str| {
        r.case
            .parties
            .iter()
            .find(|p| p.region.as_ref().is_some_and(|c| c.as_str() == code))
            .map_or_else(|| code.to_owned(), |p| p.name.clone())
    };
    r.meetings
        .iter()
        .map(|m| MeetingCard {
            kind: kind_label(m.kind, lang).to_owned(),
            title: m.title.clone(),
            date: locale::date_long(m.date, lang),
            time: m
                .start_time
                .map(|t| locale::time_label(t, m.timezone, &r.zones, lang)),
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
        .collect()
}

/// The case told as a story, one line per meeting.
fn story(meetings: &[sinergi_domain::meeting::Meeting], lang: Lang) -> Vec<String> {
    let mut story = Vec::new();
    for m in meetings {
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
    story
}

fn letter_rows(letters: &[sinergi_domain::letter::Letter], lang: Lang) -> Vec<LetterRow> {
    letters
        .iter()
        .map(|l| LetterRow {
            kind: l.kind.as_str().replace('_', " "),
            number: l.number.clone().unwrap_or_else(|| "—".to_owned()),
            date: locale::date_short(l.date, lang),
            subject: l.subject.clone(),
        })
        .collect()
}

/// The history, newest first.
fn history_rows(history: &[sinergi_store::HistoryEntry], lang: Lang) -> Vec<HistoryRow> {
    history
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
        .collect()
}

/// The steps the visitor may take now, as forms: only their own party's; a joint act
/// proposed by another party reads "consent".
fn action_forms(case: &Case, v: &Visitor, unit_involved: bool) -> Vec<ActionForm> {
    let lang = v.lang;
    let mine = sinergi_domain::authority::own_party(&v.principal, case);
    let proposed_by_other = |act: JointAct| {
        case.parties.iter().any(|p| {
            Some(p.ordinal) != mine.map(|m| m.ordinal)
                && p.acts.consent.as_ref().is_some_and(|c| c.act == act)
        })
    };
    if v.staff {
        sinergi_domain::authority::available_steps(&v.principal, case, unit_involved)
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
    }
}

/// Pending consents to cancelling or ending, one line per party.
fn proposals(case: &Case, lang: Lang) -> Vec<String> {
    case.parties
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
        .collect()
}

/// The letters a step may name, per kind: the visitor's own party's.
fn letter_choices(r: &Records, vp: &Viewpoint) -> Vec<(String, Vec<Choice>)> {
    [
        LetterKind::Penawaran,
        LetterKind::Jawaban,
        LetterKind::PemberitahuanPengakhiran,
    ]
    .iter()
    .map(|k| {
        (
            k.as_str().to_owned(),
            r.letters
                .iter()
                .filter(|l| l.kind == *k)
                .filter(|l| vp.is_own(l.from_region.as_ref()))
                .map(|l| Choice {
                    value: l.id.to_string(),
                    label: format!("{} — {}", l.number.clone().unwrap_or_default(), l.subject),
                })
                .collect(),
        )
    })
    .collect()
}

/// The KB's signing data: each party edits its own line.
fn kb_form(r: &Records, vp: &Viewpoint, lang: Lang) -> Option<KbForm> {
    r.agreements
        .iter()
        .find(|a| a.kind == AgreementKind::Kb)
        .map(|k| agreement_form(k, r, vp, lang))
}

/// The PKS of the case, each with its own form, in the order they were drafted.
fn pks_forms(r: &Records, vp: &Viewpoint, lang: Lang) -> Vec<KbForm> {
    r.agreements
        .iter()
        .filter(|a| a.kind == AgreementKind::Pks)
        .map(|a| agreement_form(a, r, vp, lang))
        .collect()
}

/// The case's fields without a PKS (a revoked or rejected one does not count).
fn fields_without_pks(r: &Records) -> Vec<Choice> {
    use sinergi_domain::agreement::AgreementStatus as S;
    r.case
        .fields
        .iter()
        .filter(|f| {
            !r.agreements.iter().any(|a| {
                a.kind == AgreementKind::Pks
                    && a.fields.contains(&f.ordinal)
                    && !matches!(a.status, S::Dicabut | S::Ditolak)
            })
        })
        .map(|f| Choice {
            value: f.ordinal.to_string(),
            label: f.label.clone(),
        })
        .collect()
}

fn agreement_form(k: &Agreement, r: &Records, vp: &Viewpoint, lang: Lang) -> KbForm {
    let field = k
        .fields
        .first()
        .and_then(|o| r.case.fields.iter().find(|f| f.ordinal == *o));
    KbForm {
        id: k.id.to_string(),
        version: k.version,
        place: k.place.clone().unwrap_or_default(),
        signed_on: k.signed_on.map(|d| d.to_string()).unwrap_or_default(),
        signed: k.status.is_signed(),
        key: field
            .map(|f| {
                f.code
                    .clone()
                    .unwrap_or_else(|| format!("bidang-{}", f.ordinal))
            })
            .unwrap_or_default(),
        title: k.title.clone(),
        status: agreement_status(k.status, lang).to_owned(),
        starts_on: k.starts_on.map(|d| d.to_string()).unwrap_or_default(),
        ends_on: k.ends_on.map(|d| d.to_string()).unwrap_or_default(),
        steps: pks_steps(k.status, lang)
            .into_iter()
            .map(|(value, label)| Choice {
                value: value.to_owned(),
                label: label.to_owned(),
            })
            .collect(),
        parties: k
            .parties
            .iter()
            .map(|p| KbPartyForm {
                ordinal: p.ordinal,
                role: party_role(p.ordinal),
                signatory: p.signatory.map(|s| s.to_string()).unwrap_or_default(),
                number: p.number.clone().unwrap_or_default(),
                unpublished: p.number_unpublished,
                own: vp.is_own(p.region.as_ref()),
                power_of_attorney: p.power_of_attorney.clone().unwrap_or_default(),
                summary: format!(
                    "{} · {}{}",
                    p.signatory
                        .and_then(|s| r.by_id.get(&s.to_string()))
                        .map_or_else(|| "—".to_owned(), |o| format!("{} ({})", o.name, o.title())),
                    p.number.clone().unwrap_or_else(|| {
                        lang.pick("nomor belum diisi", "no number yet").to_owned()
                    }),
                    p.power_of_attorney
                        .as_ref()
                        .map(|k| format!(
                            " · {} {k}",
                            lang.pick("surat kuasa", "power of attorney")
                        ))
                        .unwrap_or_default()
                ),
            })
            .collect(),
    }
}

/// The TKKSD members who may record a recommendation: the visitor's own region's.
async fn reviewers(
    state: &AppState,
    r: &Records,
    vp: &Viewpoint,
) -> Result<Vec<Choice>, PageError> {
    Ok({
        let mut out = Vec::new();
        let reviewing: Vec<String> = if vp.operator {
            r.regions.clone()
        } else {
            vp.own_region.iter().cloned().collect()
        };
        for region in &reviewing {
            if let Some(t) = state.store.current_tkksd(region).await? {
                for m in &t.members {
                    if let Some(o) = r.by_id.get(&m.official.to_string()) {
                        out.push(Choice {
                            value: o.id.to_string(),
                            label: format!("{} — {} ({})", o.name, o.title(), m.position.as_str()),
                        });
                    }
                }
            }
        }
        out
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

/// A step's name as its button says it, for the dashboard's "Menunggu tindakan Anda".
pub(crate) fn step_label(step: &'static str, lang: Lang) -> String {
    action_form(step, lang).label
}
