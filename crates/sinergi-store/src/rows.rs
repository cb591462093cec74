//! Table rows, private to the store, and their conversion into domain types.

use crate::StoreError;
use sinergi_domain::agreement::{Agreement, AgreementKind, AgreementParty, AgreementStatus};
use sinergi_domain::case::{
    Case, CaseField, CaseKind, Contact, Direction, DprdAssessment, Party, PartyActs, PartyStatus,
    Stage, Termination,
};
use sinergi_domain::ids::{AgreementId, CaseId, LetterId, MeetingId, OfficialId};
use sinergi_domain::letter::{Attachment, Letter, LetterKind, LetterResponse};
use sinergi_domain::meeting::{Meeting, MeetingKind, NextStep, Participant, parse_time};
use sinergi_domain::official::{ActingStatus, OfficeKind, Official};
use sinergi_domain::region::RegionCode;
use sqlx::types::Json;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::UnknownValue {
        what: what.to_owned(),
        value: value.to_owned(),
    }
}

fn region(code: Option<String>) -> Result<Option<RegionCode>, StoreError> {
    code.map(|c| RegionCode::parse(&c).map_err(|_| corrupt("region code", &c)))
        .transpose()
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    pub id: Uuid,
    pub kind: String,
    pub direction: String,
    pub title: String,
    pub object: Option<String>,
    pub background: Option<String>,
    pub stage: String,
    pub version: i64,
    pub published: bool,
    pub fictional: bool,
    pub offered: bool,
    pub predecessor_id: Option<Uuid>,
    pub objectives: Json<Vec<String>>,
    pub sources: Json<Vec<String>>,
    pub termination: Option<Json<Termination>>,
    pub rule_set_id: Option<String>,
    pub rule_set_version: Option<i32>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
pub(crate) struct PartyRow {
    pub ordinal: i32,
    pub region_code: Option<String>,
    pub name: String,
    pub status: String,
    pub document_number: Option<String>,
    pub signatory_id: Option<Uuid>,
    pub contact: Json<Contact>,
    pub dprd: Json<DprdAssessment>,
    pub acts: Json<PartyActs>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct FieldRow {
    pub ordinal: i32,
    pub code: Option<String>,
    pub label: String,
    pub priority: bool,
}

#[derive(sqlx::FromRow)]
pub(crate) struct FieldUrusanRow {
    pub ordinal: i32,
    pub urusan_code: String,
}

pub(crate) fn ordinal(i: i32) -> u16 {
    u16::try_from(i).unwrap_or(0)
}

impl CaseRow {
    pub fn into_case(
        self,
        parties: Vec<PartyRow>,
        fields: Vec<FieldRow>,
        urusan: &[FieldUrusanRow],
    ) -> Result<Case, StoreError> {
        let parties = parties
            .into_iter()
            .map(|p| {
                Ok(Party {
                    ordinal: ordinal(p.ordinal),
                    region: region(p.region_code)?,
                    name: p.name,
                    status: PartyStatus::parse(&p.status)
                        .ok_or_else(|| corrupt("party status", &p.status))?,
                    document_number: p.document_number,
                    signatory: p.signatory_id.map(OfficialId),
                    contact: p.contact.0,
                    dprd: p.dprd.0,
                    acts: p.acts.0,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let fields = fields
            .into_iter()
            .map(|f| CaseField {
                ordinal: ordinal(f.ordinal),
                code: f.code,
                label: f.label,
                priority: f.priority,
                urusan: urusan
                    .iter()
                    .filter(|u| u.ordinal == f.ordinal)
                    .map(|u| u.urusan_code.clone())
                    .collect(),
            })
            .collect();
        Ok(Case {
            id: CaseId(self.id),
            kind: CaseKind::parse(&self.kind).ok_or_else(|| corrupt("case kind", &self.kind))?,
            direction: Direction::parse(&self.direction)
                .ok_or_else(|| corrupt("direction", &self.direction))?,
            title: self.title,
            object: self.object,
            background: self.background,
            stage: Stage::parse(&self.stage).ok_or_else(|| corrupt("stage", &self.stage))?,
            version: self.version,
            published: self.published,
            fictional: self.fictional,
            offered: self.offered,
            predecessor: self.predecessor_id.map(CaseId),
            parties,
            fields,
            objectives: self.objectives.0,
            sources: self.sources.0,
            termination: self.termination.map(|t| t.0),
            rule_set: self.rule_set_id.zip(self.rule_set_version).map(|(id, v)| {
                sinergi_domain::rules::RuleSetRef {
                    id,
                    version: u32::try_from(v).unwrap_or_default(),
                }
            }),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct OfficialRow {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub position: String,
    pub office: String,
    pub acting: String,
    pub unit: Option<String>,
    pub nip: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub term_start: Option<Date>,
    pub term_end: Option<Date>,
}

impl TryFrom<OfficialRow> for Official {
    type Error = StoreError;
    fn try_from(r: OfficialRow) -> Result<Self, StoreError> {
        Ok(Official {
            id: OfficialId(r.id),
            region: RegionCode::parse(&r.region_code)
                .map_err(|_| corrupt("region code", &r.region_code))?,
            name: r.name,
            position: r.position,
            office: OfficeKind::parse(&r.office).ok_or_else(|| corrupt("office", &r.office))?,
            acting: ActingStatus::parse(&r.acting)
                .ok_or_else(|| corrupt("acting status", &r.acting))?,
            unit: r.unit,
            nip: r.nip,
            email: r.email,
            phone: r.phone,
            term_start: r.term_start,
            term_end: r.term_end,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MeetingRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub title: String,
    pub meeting_date: Date,
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub timezone: String,
    pub host_region: String,
    pub place: String,
    pub participants: Json<Vec<Participant>>,
    pub agenda: Json<Vec<String>>,
    pub minutes: Option<String>,
    pub outcomes: Json<Vec<String>>,
    pub next_steps: Json<Vec<NextStep>>,
    pub created_at: OffsetDateTime,
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = StoreError;
    fn try_from(r: MeetingRow) -> Result<Self, StoreError> {
        Ok(Meeting {
            id: MeetingId(r.id),
            case_id: CaseId(r.case_id),
            kind: MeetingKind::parse(&r.kind).ok_or_else(|| corrupt("meeting kind", &r.kind))?,
            title: r.title,
            date: r.meeting_date,
            start_time: r.start_time.as_deref().and_then(parse_time),
            end_time: r.end_time.as_deref().and_then(parse_time),
            timezone: r
                .timezone
                .parse()
                .map_err(|_| corrupt("time zone", &r.timezone))?,
            host_region: RegionCode::parse(&r.host_region)
                .map_err(|_| corrupt("region code", &r.host_region))?,
            place: r.place,
            participants: r.participants.0,
            agenda: r.agenda.0,
            minutes: r.minutes,
            outcomes: r.outcomes.0,
            next_steps: r.next_steps.0,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LetterRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub number: Option<String>,
    pub letter_date: Date,
    pub from_region: Option<String>,
    pub to_region: Option<String>,
    pub signatory_id: Option<Uuid>,
    pub subject: String,
    pub srikandi_ref: Option<String>,
    pub attachments: Json<Vec<Attachment>>,
    pub response: Option<String>,
    pub created_at: OffsetDateTime,
    pub version: i64,
    pub sent_at: Option<OffsetDateTime>,
    pub withdrawn_at: Option<OffsetDateTime>,
}

fn letter_response(s: &str) -> Option<LetterResponse> {
    match s {
        "diterima" => Some(LetterResponse::Diterima),
        "ditolak" => Some(LetterResponse::Ditolak),
        "usul_perubahan" => Some(LetterResponse::UsulPerubahan),
        _ => None,
    }
}

pub(crate) fn letter_response_str(r: LetterResponse) -> &'static str {
    match r {
        LetterResponse::Diterima => "diterima",
        LetterResponse::Ditolak => "ditolak",
        LetterResponse::UsulPerubahan => "usul_perubahan",
    }
}

impl TryFrom<LetterRow> for Letter {
    type Error = StoreError;
    fn try_from(r: LetterRow) -> Result<Self, StoreError> {
        Ok(Letter {
            id: LetterId(r.id),
            case_id: CaseId(r.case_id),
            kind: LetterKind::parse(&r.kind).ok_or_else(|| corrupt("letter kind", &r.kind))?,
            number: r.number,
            date: r.letter_date,
            from_region: region(r.from_region)?,
            to_region: region(r.to_region)?,
            signatory: r.signatory_id.map(OfficialId),
            subject: r.subject,
            srikandi_ref: r.srikandi_ref,
            attachments: r.attachments.0,
            response: r
                .response
                .as_deref()
                .map(|s| letter_response(s).ok_or_else(|| corrupt("letter response", s)))
                .transpose()?,
            created_at: r.created_at,
            version: r.version,
            sent_at: r.sent_at,
            withdrawn_at: r.withdrawn_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AgreementRow {
    pub id: Uuid,
    pub case_id: Uuid,
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub fields: Json<Vec<u16>>,
    pub status: String,
    pub place: Option<String>,
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub parties: Json<Vec<AgreementParty>>,
    pub changes: Option<String>,
    pub reason: Option<String>,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl TryFrom<AgreementRow> for Agreement {
    type Error = StoreError;
    fn try_from(r: AgreementRow) -> Result<Self, StoreError> {
        Ok(Agreement {
            id: AgreementId(r.id),
            case_id: CaseId(r.case_id),
            kind: AgreementKind::parse(&r.kind)
                .ok_or_else(|| corrupt("agreement kind", &r.kind))?,
            parent: r.parent_id.map(AgreementId),
            title: r.title,
            fields: r.fields.0,
            status: AgreementStatus::parse(&r.status)
                .ok_or_else(|| corrupt("agreement status", &r.status))?,
            place: r.place,
            signed_on: r.signed_on,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            parties: r.parties.0,
            changes: r.changes,
            reason: r.reason,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}
