//! Wire types of the API, built from domain values. Personal data of staff (NIP, e-mail,
//! phone) is shown only to signed-in staff.

use serde::Serialize;
use sinergi_domain::case::{
    Case, CaseKind, Contact, Direction, PartyStatus, Stage, Termination, party_role,
};
use sinergi_domain::catalog::catalog;
use sinergi_domain::ids::{CaseId, OfficialId};
use sinergi_domain::official::{ActingStatus, OfficeKind, Official};
use sinergi_domain::rules::RuleSet;
use sinergi_domain::workflow::actions_from;
use time::{Date, OffsetDateTime};

/// A list with the total across all pages.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Items<T: utoipa::ToSchema> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T: utoipa::ToSchema> Items<T> {
    /// An unpaged list.
    #[must_use]
    pub fn all(items: Vec<T>) -> Self {
        let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
        Self { items, total }
    }

    /// One page (`limit`, `offset` from [`crate::api::Paging::resolve`]) of a short list
    /// read whole, with the true total.
    #[must_use]
    pub fn paged((limit, offset): (i64, i64), all: Vec<T>) -> Self {
        let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
        let items = all
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        Self { items, total }
    }
}

impl<T: utoipa::ToSchema> From<sinergi_store::Page<T>> for Items<T> {
    fn from(p: sinergi_store::Page<T>) -> Self {
        Self {
            items: p.items,
            total: p.total,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct DprdView {
    pub burdens_public: Option<bool>,
    pub budgeted_in_current_apbd: Option<bool>,
    /// Computed from the two PP 28/2018 conditions; `null` while unassessed.
    pub required: Option<bool>,
    pub justification: Option<String>,
    pub approved: Option<bool>,
    pub decision_number: Option<String>,
    pub decision_date: Option<Date>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PartyView {
    pub ordinal: u16,
    /// "PIHAK KESATU", "PIHAK KEDUA", …
    pub role: String,
    pub region: Option<String>,
    pub name: String,
    pub status: PartyStatus,
    pub document_number: Option<String>,
    pub signatory: Option<OfficialId>,
    pub contact: Contact,
    pub dprd: DprdView,
    /// The party's own acts on the shared case (its review of an offer it received, its
    /// reply, a pending consent to cancelling or ending): for the parties and overseers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acts: Option<sinergi_domain::case::PartyActs>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UrusanRef {
    pub code: String,
    pub name: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseFieldView {
    pub ordinal: u16,
    pub code: Option<String>,
    pub label: String,
    pub priority: bool,
    pub urusan: Vec<UrusanRef>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseView {
    pub id: CaseId,
    pub kind: CaseKind,
    pub kind_label: String,
    pub direction: Direction,
    pub title: String,
    pub object: Option<String>,
    pub background: Option<String>,
    pub stage: Stage,
    pub stage_label: String,
    /// Send it back as `expected_version` when changing the case.
    pub version: i64,
    pub published: bool,
    /// Demo data that did not happen.
    pub fictional: bool,
    pub predecessor: Option<CaseId>,
    pub parties: Vec<PartyView>,
    pub fields: Vec<CaseFieldView>,
    pub urusan: Vec<UrusanRef>,
    pub objectives: Vec<String>,
    pub sources: Vec<String>,
    pub termination: Option<Termination>,
    /// The rule set the case follows (the one it was opened under).
    pub rule_set: sinergi_domain::rules::RuleSetRef,
    /// Transitions whose stage precondition holds now.
    pub available_actions: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

fn urusan_ref(code: &str) -> UrusanRef {
    let name = catalog()
        .urusan
        .iter()
        .find(|u| u.code == code)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    UrusanRef {
        code: code.to_owned(),
        name,
    }
}

impl CaseView {
    #[must_use]
    pub fn new(c: Case, staff: bool, rules: &RuleSet, lang: sinergi_domain::Lang) -> Self {
        let kind = c.kind;
        let urusan = c.urusan().iter().map(|u| urusan_ref(u)).collect();
        Self {
            id: c.id,
            kind,
            kind_label: c.kind.label_id().to_owned(),
            direction: c.direction,
            title: c.title,
            object: c.object,
            background: c.background,
            stage: c.stage,
            stage_label: lang.pick(c.stage.label_id(), c.stage.label_en()).to_owned(),
            version: c.version,
            published: c.published,
            fictional: c.fictional,
            predecessor: c.predecessor,
            available_actions: if staff {
                actions_from(c.stage)
                    .into_iter()
                    .map(str::to_owned)
                    .collect()
            } else {
                Vec::new()
            },
            parties: c
                .parties
                .into_iter()
                .map(|p| PartyView {
                    ordinal: p.ordinal,
                    role: party_role(p.ordinal),
                    region: p.region.map(|r| r.to_string()),
                    name: p.name,
                    status: p.status,
                    document_number: p.document_number,
                    signatory: p.signatory,
                    contact: if staff {
                        p.contact
                    } else {
                        Contact {
                            unit: p.contact.unit,
                            ..Contact::default()
                        }
                    },
                    acts: staff.then_some(p.acts),
                    dprd: DprdView {
                        required: p.dprd.required(kind, rules),
                        burdens_public: p.dprd.burdens_public,
                        budgeted_in_current_apbd: p.dprd.budgeted_in_current_apbd,
                        justification: p.dprd.justification.filter(|_| staff),
                        approved: p.dprd.approved,
                        decision_number: p.dprd.decision_number,
                        decision_date: p.dprd.decision_date,
                    },
                })
                .collect(),
            fields: c
                .fields
                .into_iter()
                .map(|f| CaseFieldView {
                    ordinal: f.ordinal,
                    code: f.code,
                    label: f.label,
                    priority: f.priority,
                    urusan: f.urusan.iter().map(|u| urusan_ref(u)).collect(),
                })
                .collect(),
            urusan,
            objectives: c.objectives,
            sources: c.sources,
            termination: c.termination,
            rule_set: rules.reference(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OfficialView {
    pub id: OfficialId,
    pub region: String,
    pub name: String,
    pub position: String,
    /// The title as printed, with Pj./Plt./Plh.: "Pj. Sekretaris Daerah Provinsi Kalimantan Tengah".
    pub title: String,
    pub office: OfficeKind,
    pub acting: ActingStatus,
    pub unit: Option<String>,
    pub nip: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub term_start: Option<Date>,
    pub term_end: Option<Date>,
}

impl OfficialView {
    #[must_use]
    pub fn new(o: Official, staff: bool) -> Self {
        Self {
            title: o.title(),
            id: o.id,
            region: o.region.to_string(),
            name: o.name,
            position: o.position,
            office: o.office,
            acting: o.acting,
            unit: o.unit,
            nip: o.nip.filter(|_| staff),
            email: o.email.filter(|_| staff),
            phone: o.phone.filter(|_| staff),
            term_start: o.term_start,
            term_end: o.term_end,
        }
    }
}

/// Tells a field that is absent (`None`, with `#[serde(default)]`) from one that is `null`
/// (`Some(None)`): absent keeps a value, `null` removes it.
///
/// # Errors
/// The inner value's errors.
pub fn double_option<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}
