//! `/kerja-sama/{id}`: the case as a story, with the forms of what can be done now — the page
//! model built from the case's records.

mod agreement_inputs;
mod cards;
mod tracker;

use agreement_inputs::{fields_without_pks, kb_form, letter_choices, pks_forms};
pub(crate) use cards::action_form;
use cards::{
    action_forms, field_rows, history_rows, letter_rows, meeting_cards, party_cards, proposals,
    reviewers, story,
};
pub(crate) use tracker::{doc_node, step_label, tracker};

use crate::error::ApiError;
use crate::pages::{Chrome, PageError, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::access::Perm;
use sinergi_domain::agreement::Agreement;
use sinergi_domain::case::{Case, Stage, party_role};
use sinergi_domain::ids::CaseId;
use sinergi_domain::meeting::MeetingKind;
use sinergi_domain::official::Official;
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
    pub id: String,
    pub version: i64,
    pub kind: String,
    pub number: String,
    pub date: String,
    pub subject: String,
    /// "Belum dikirim", "Dikirim 26 Mar 2022", "Ditarik …".
    pub status: String,
    /// Not sent and not withdrawn.
    pub pending: bool,
    pub withdrawn: bool,
    /// The visitor's party sent it and may still correct or withdraw it.
    pub editable: bool,
    /// No act sends it (an invitation, a DPRD request): its sender marks it sent.
    pub marked_by_sender: bool,
    /// The stored values, for the correction form.
    pub kind_code: String,
    pub number_raw: String,
    pub date_iso: String,
    pub from_region: String,
    pub to_region: String,
    pub signatory: String,
    pub srikandi_ref: String,
    pub kak: bool,
    pub draft_kb: bool,
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

/// A dispute between the parties, as the case page shows it.
pub struct DisputeCard {
    pub id: String,
    pub subject: String,
    pub description: String,
    pub party: String,
    pub raised_on: String,
    pub forum: &'static str,
    pub open: bool,
    /// Consultation still: it may go to the Governor or the Minister.
    pub in_consultation: bool,
    pub decision: String,
    pub decided_on: String,
    pub version: i64,
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
    /// Fields outside the parties' competence (a warning, not a refusal).
    competence: Vec<String>,
    /// The rule set the case follows: title, id and version, first day.
    rule_set: (String, String, String),
    /// How it ended: (reason, effective date, what is still owed).
    termination: Option<(String, String, String)>,
    disputes: Vec<DisputeCard>,
    /// The visitor's party may raise a dispute (its agreement is signed).
    can_raise_dispute: bool,
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
    /// The own side's kepala daerah (who may grant a surat kuasa) and its other officials
    /// (who may receive one).
    grantors: Vec<Choice>,
    grantees: Vec<Choice>,
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
    /// Each party's KAK, and the form of the visitor's own party's.
    kak: Vec<KakCard>,
    kak_form: Option<KakForm>,
    kak_sections: &'static [(&'static str, &'static str, &'static str, bool)],
    /// "Kesepakatan Bersama", or "Nota Kesepakatan" for a Sinergi.
    kb_label: &'static str,
    /// The own side's TKKSD kajian.
    kajian: Vec<KajianCard>,
    /// A KSDPL/KSDLL: the central approvals it needs before signing, and those recorded
    /// (ministry, letter, date, approved, note).
    central_needed: bool,
    central: Vec<(&'static str, String, String, bool, String)>,
}

/// One kajian as the page shows it.
pub struct KajianCard {
    pub id: String,
    pub subject: &'static str,
    pub meeting: String,
    pub attendees: String,
    pub recommendation: &'static str,
    pub decided_by: String,
    pub minutes: String,
    /// The telaahan staf's file name, when attached.
    pub telaahan: Option<String>,
}

fn kajian_cards(r: &Records, v: &Visitor) -> Vec<KajianCard> {
    use sinergi_domain::workflow::Recommendation;
    let lang = v.lang;
    r.kajian
        .iter()
        .map(|k| {
            let j = &k.kajian;
            KajianCard {
                id: k.id.to_string(),
                subject: j.subject.label_id(),
                meeting: format!(
                    "{} · {}",
                    sinergi_domain::locale::date_short(j.meeting_on, lang),
                    j.mode.label_id()
                ),
                attendees: j
                    .attendees
                    .iter()
                    .map(|a| format!("{} ({})", a.name, a.title))
                    .collect::<Vec<_>>()
                    .join("; "),
                recommendation: match j.recommendation {
                    Recommendation::Layak => lang.pick("Layak", "Feasible"),
                    Recommendation::Perbaikan => lang.pick("Perlu perbaikan", "Needs revision"),
                    Recommendation::TidakLayak => lang.pick("Tidak layak", "Not feasible"),
                },
                decided_by: format!("{} — {}", j.decided_by.name, j.decided_by.title),
                minutes: j.minutes.clone().unwrap_or_default(),
                telaahan: k.telaahan.as_ref().map(|t| t.file_name.clone()),
            }
        })
        .collect()
}

/// One party's KAK as the page shows it.
pub struct KakCard {
    pub party: String,
    pub version: i64,
    pub sections: Vec<(&'static str, String)>,
    pub saved: String,
}

/// The own party's KAK form: the version it edits and the text to start from.
pub struct KakForm {
    pub ordinal: u16,
    pub expected_version: String,
    pub content: sinergi_domain::kak::KakContent,
}

/// The KAK's sections: form field, Indonesian and English heading, required.
pub const KAK_SECTIONS: [(&str, &str, &str, bool); 10] = [
    ("background", "Latar belakang", "Background", true),
    ("purpose", "Maksud dan tujuan", "Aim and objectives", true),
    ("object", "Objek kerja sama", "Object", true),
    ("scope", "Ruang lingkup", "Scope", true),
    ("location", "Lokasi", "Location", false),
    (
        "duration",
        "Jangka waktu yang diusulkan",
        "Proposed duration",
        true,
    ),
    ("benefits", "Manfaat", "Benefits", true),
    (
        "impact",
        "Analisis dampak dan risiko",
        "Impact and risk analysis",
        false,
    ),
    (
        "financing",
        "Pembiayaan (sumber, tahun anggaran, perkiraan)",
        "Financing (source, fiscal year, estimate)",
        true,
    ),
    (
        "plan_alignment",
        "Keselarasan dengan RPJMD/RKPD",
        "Fit with the RPJMD/RKPD",
        false,
    ),
];

/// A KAK's text from its form's fields (an empty optional section is none).
pub(crate) fn kak_content(fields: &HashMap<String, String>) -> sinergi_domain::kak::KakContent {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let opt = |k: &str| Some(get(k)).filter(|t| !t.trim().is_empty());
    sinergi_domain::kak::KakContent {
        background: get("background"),
        purpose: get("purpose"),
        object: get("object"),
        scope: get("scope"),
        location: opt("location"),
        duration: get("duration"),
        benefits: get("benefits"),
        impact: opt("impact"),
        financing: get("financing"),
        plan_alignment: opt("plan_alignment"),
    }
}

/// The text of section `key` of a KAK.
#[must_use]
pub fn kak_section(c: &sinergi_domain::kak::KakContent, key: &str) -> String {
    match key {
        "background" => c.background.clone(),
        "purpose" => c.purpose.clone(),
        "object" => c.object.clone(),
        "scope" => c.scope.clone(),
        "location" => c.location.clone().unwrap_or_default(),
        "duration" => c.duration.clone(),
        "benefits" => c.benefits.clone(),
        "impact" => c.impact.clone().unwrap_or_default(),
        "financing" => c.financing.clone(),
        "plan_alignment" => c.plan_alignment.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

impl KakForm {
    /// The form's value for `key`.
    #[must_use]
    pub fn value(&self, key: &str) -> String {
        kak_section(&self.content, key)
    }
}

/// The KAK cards and, when the visitor's own party may write its KAK, its form.
fn kak_parts(
    r: &Records,
    vp: &Viewpoint,
    can_edit: bool,
    v: &Visitor,
    prefill: &HashMap<String, String>,
    refused: bool,
) -> (Vec<KakCard>, Option<KakForm>) {
    let lang = v.lang;
    let cards = r
        .kak
        .iter()
        .map(|k| KakCard {
            party: r
                .case
                .party(k.party)
                .map(|p| format!("{} — {}", party_role(p.ordinal), p.name))
                .unwrap_or_default(),
            version: k.version,
            sections: KAK_SECTIONS
                .iter()
                .map(|(key, id, en, _)| (lang.pick(id, en), kak_section(&k.content, key)))
                .filter(|(_, t)| !t.is_empty())
                .collect(),
            saved: format!("{} · {}", k.author, v.stamp(k.saved_at)),
        })
        .collect();
    // The KAK is a planning document: written until the KB is signed.
    let own = (can_edit && !vp.operator && !r.case.stage.is_final() && !r.case.stage.kb_signed())
        .then(|| {
            r.case
                .parties
                .iter()
                .find(|p| p.region.is_some() && vp.is_own(p.region.as_ref()))
        })
        .flatten();
    let form = own.map(|p| {
        let latest = r.kak.iter().find(|k| k.party == p.ordinal);
        let mut content = latest.map(|k| k.content.clone()).unwrap_or_default();
        let mut expected = latest.map(|k| k.version.to_string()).unwrap_or_default();
        if refused {
            content = kak_content(prefill);
            expected = prefill.get("expected_version").cloned().unwrap_or_default();
        }
        KakForm {
            ordinal: p.ordinal,
            expected_version: expected,
            content,
        }
    });
    (cards, form)
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
    /// The surat kuasa recorded for this document, one line each.
    pub powers: Vec<String>,
    /// The visitor's own region is a party to it (it may record its own surat kuasa).
    pub own_party: bool,
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

    /// Whether the refused form is the one of letter `id` (its correction, withdrawal or mark).
    #[must_use]
    pub fn letter_refused(&self, id: &str) -> bool {
        self.error_form.strip_prefix("letter:") == Some(id)
    }

    /// The correction form's value for `key` of letter `id`: what was typed when that form
    /// was refused, else the stored `value`.
    #[must_use]
    pub fn letter_val<'a>(&'a self, id: &str, key: &str, value: &'a str) -> &'a str {
        if self.letter_refused(id) {
            self.val(key, value)
        } else {
            value
        }
    }
}

/// The visitor's own side's officials: its kepala daerah (`heads`) or everyone else.
fn own_officials(r: &Records, vp: &Viewpoint, heads: bool) -> Vec<Choice> {
    use sinergi_domain::official::OfficeKind;
    r.officials
        .iter()
        .filter(|o| vp.is_own(Some(&o.region)))
        .filter(|o| (o.office == OfficeKind::KepalaDaerah) == heads)
        .map(|o| Choice {
            value: o.id.to_string(),
            label: format!("{} — {} ({})", o.name, o.title(), o.region),
        })
        .collect()
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
    let (kak, kak_form) = kak_parts(
        &r,
        &vp,
        v.can(Perm::CaseEdit),
        v,
        &prefill,
        error_form == "kak",
    );
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
        grantors: own_officials(&r, &vp, true),
        grantees: own_officials(&r, &vp, false),
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
        kak,
        kak_form,
        kak_sections: &KAK_SECTIONS,
        kb_label: sinergi_domain::agreement::AgreementKind::Kb.label_in(r.case.kind),
        kajian: kajian_cards(&r, v),
        central_needed: sinergi_domain::central_approval::needed(&r.case),
        central: r
            .central
            .iter()
            .map(|a| {
                (
                    a.ministry.label_id(),
                    a.letter_number.clone(),
                    sinergi_domain::locale::date_short(a.letter_date, lang),
                    a.approved,
                    a.note.clone().unwrap_or_default(),
                )
            })
            .collect(),
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
        competence: sinergi_domain::rules::competence_warnings(case, &r.rules)
            .into_iter()
            .map(|(id, en)| lang.pick(&id, &en).to_owned())
            .collect(),
        rule_set: (
            r.rules.title.clone(),
            r.rules.reference().to_string(),
            sinergi_domain::locale::date_short(r.rules.effective_from, lang),
        ),
        objectives: case.objectives.clone(),
        meetings: meeting_cards(&r, lang),
        letters: letter_rows(&r.letters, &vp, v.can(Perm::CaseEdit), v),
        termination: case.termination.as_ref().map(|t| {
            (
                reason_label(t.reason, lang).to_owned(),
                sinergi_domain::locale::date_short(t.effective_on, lang),
                t.outstanding_obligations.clone().unwrap_or_default(),
            )
        }),
        disputes: r
            .disputes
            .iter()
            .map(|d| DisputeCard {
                id: d.id.to_string(),
                subject: d.subject.clone(),
                description: d.description.clone().unwrap_or_default(),
                party: case
                    .party(d.raised_by)
                    .map(|p| p.short_name().to_owned())
                    .unwrap_or_default(),
                raised_on: sinergi_domain::locale::date_short(d.raised_on, lang),
                forum: lang.pick(d.forum.label_id(), d.forum.label_en()),
                open: d.decision.is_none(),
                in_consultation: d.forum == sinergi_domain::dispute::Forum::Musyawarah,
                decision: d.decision.clone().unwrap_or_default(),
                decided_on: d
                    .decided_on
                    .map(|x| sinergi_domain::locale::date_short(x, lang))
                    .unwrap_or_default(),
                version: d.version,
            })
            .collect(),
        can_raise_dispute: v.can(Perm::CaseEdit)
            && case.stage.kb_signed()
            && vp.own_region.is_some(),
        documents: r
            .agreements
            .iter()
            .filter(|a| a.parent.is_none())
            .map(|a| doc_node(a, &r.agreements, &r.by_id, (lang, r.case.kind)))
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
    pub disputes: Vec<sinergi_domain::dispute::Dispute>,
    pub agreements: Vec<Agreement>,
    pub history: Vec<sinergi_store::HistoryEntry>,
    pub rules: sinergi_domain::rules::RuleSet,
    pub zones: Vec<TimeZone>,
    pub powers: Vec<sinergi_domain::power_of_attorney::PowerOfAttorney>,
    /// Each party's latest KAK (for staff).
    pub kak: Vec<sinergi_domain::kak::Kak>,
    /// The kajian the visitor's own side's TKKSD held.
    pub kajian: Vec<sinergi_domain::kajian::KajianRecord>,
    /// The central government's answers (KSDPL, KSDLL).
    pub central: Vec<sinergi_domain::central_approval::CentralApproval>,
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
            disputes: state.store.list_disputes(id).await?,
            agreements: state.store.list_agreements(id).await?,
            history: state.store.case_history(id).await?,
            rules: state.store.rules_of_case(&case).await?,
            powers: state.store.powers_of_attorney_of_case(id).await?,
            kak: if v.staff {
                state.store.kak_of_case(id).await?
            } else {
                Vec::new()
            },
            central: if sinergi_domain::central_approval::needed(&case) {
                state.store.central_approvals(id).await?
            } else {
                Vec::new()
            },
            // The case is read already: only the side's own kajian are kept.
            kajian: if v.staff {
                state
                    .store
                    .kajian_of_case(id)
                    .await?
                    .into_iter()
                    .filter(|k| k.visible_to(&v.principal))
                    .collect()
            } else {
                Vec::new()
            },
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
