//! The facts a document is filled with, assembled from what the case holds: the case, its
//! agreements, the officials of its governments and its meetings. Pure: the caller loads
//! the records (the store does), this module only decides which fact goes where.

use crate::DocumentKind;
use crate::input::{DocumentInput, MeetingInput, ParentInput, PartyInput, SignatoryInput};
use sinergi_domain::agreement::{Agreement, AgreementKind, AgreementParty, add_years};
use sinergi_domain::case::{Case, Party};
use sinergi_domain::catalog::catalog;
use sinergi_domain::ids::AgreementId;
use sinergi_domain::meeting::Meeting;
use sinergi_domain::official::{OfficeKind, Official};
use time::Date;

/// The records of one case a document draws on.
#[derive(Debug, Clone, Copy)]
pub struct CaseRecords<'a> {
    pub case: &'a Case,
    /// Every agreement of the case, oldest first.
    pub agreements: &'a [Agreement],
    /// The officials of the case's governments.
    pub officials: &'a [Official],
    /// The case's meetings; only a berita acara uses them.
    pub meetings: &'a [Meeting],
}

impl CaseRecords<'_> {
    /// Whether a document of `kind` needs the meetings (so a caller may skip loading them).
    #[must_use]
    pub fn needs_meetings(kind: DocumentKind) -> bool {
        kind == DocumentKind::BeritaAcara
    }
}

/// The input of a document of `kind`. For a KB, PKS or addendum the text is of `agreement`
/// when given, else of the latest agreement of that kind; an agreement text with no
/// agreement recorded yet is filled from the case alone, with blanks where facts are missing.
#[must_use]
pub fn document_input(
    kind: DocumentKind,
    agreement: Option<AgreementId>,
    records: CaseRecords<'_>,
) -> DocumentInput {
    let CaseRecords {
        case, agreements, ..
    } = records;
    let agreement: Option<&Agreement> = match agreement {
        Some(id) => agreements.iter().find(|a| a.id == id),
        None => kind
            .agreement_kind()
            .and_then(|k| agreements.iter().rev().find(|a| a.kind == k)),
    };
    let meeting = if CaseRecords::needs_meetings(kind) {
        records.meetings.iter().max_by_key(|m| m.date)
    } else {
        None
    };
    let parties = case
        .parties
        .iter()
        .map(|p| party_input(kind, p, agreement, meeting, records.officials))
        .collect();
    let kb = agreements.iter().find(|a| a.kind == AgreementKind::Kb);
    let parent = agreement
        .and_then(|a| a.parent)
        .and_then(|id| agreements.iter().find(|a| a.id == id))
        .or(if kind == DocumentKind::Kb { None } else { kb })
        .map(|p| ParentInput {
            title: p.title.clone(),
            numbers: p.parties.iter().map(|x| x.number.clone()).collect(),
            signed_on: p.signed_on,
        });
    let title = agreement.map_or_else(
        || match kind {
            DocumentKind::Kb => format!("Kesepakatan Bersama tentang {}", case.title),
            _ => case.title.clone(),
        },
        |a| a.title.clone(),
    );
    let (place, date) = match kind {
        DocumentKind::BeritaAcara => (meeting.map(|m| m.place.clone()), meeting.map(|m| m.date)),
        _ => (
            agreement.and_then(|a| a.place.clone()),
            agreement.and_then(|a| a.signed_on),
        ),
    };
    DocumentInput {
        title,
        case_title: case.title.clone(),
        object: case.object.clone(),
        background: case.background.clone(),
        objectives: case.objectives.clone(),
        fields: field_names(case, agreement),
        place,
        date,
        starts_on: agreement.and_then(|a| a.starts_on),
        ends_on: agreement.and_then(|a| a.ends_on),
        term_years: agreement.and_then(|a| whole_years(a.starts_on, a.ends_on)),
        budget_minor: None,
        parties,
        parent,
        changes: agreement.and_then(|a| a.changes.clone()),
        reason: agreement.and_then(|a| a.reason.clone()),
        meeting: meeting.map(meeting_input),
        fictional: case.fictional,
        nota_kesepakatan: kind == DocumentKind::Kb
            && case.kind == sinergi_domain::case::CaseKind::Sinergi,
        // Filled by the store from the work plan, which the case records do not carry.
        work_plan: Vec::new(),
    }
}

/// One party as the document names it. The signatory is the one recorded on the agreement;
/// a letter with none recorded is signed by the head of region; minutes are signed by
/// whoever attended the meeting for that government.
fn party_input(
    kind: DocumentKind,
    party: &Party,
    agreement: Option<&Agreement>,
    meeting: Option<&Meeting>,
    officials: &[Official],
) -> PartyInput {
    let on_agreement: Option<&AgreementParty> =
        agreement.and_then(|a| a.parties.iter().find(|x| x.ordinal == party.ordinal));
    let recorded = on_agreement.and_then(|ap| {
        Some(SignatoryInput {
            name: ap.signatory_name.clone()?,
            title: ap.signatory_title.clone()?,
        })
    });
    let signatory = match kind {
        DocumentKind::Penawaran => recorded.or_else(|| {
            officials
                .iter()
                .find(|o| {
                    Some(&o.region) == party.region.as_ref() && o.office == OfficeKind::KepalaDaerah
                })
                .map(|o| SignatoryInput {
                    name: o.name.clone(),
                    title: o.title(),
                })
        }),
        DocumentKind::BeritaAcara => meeting.and_then(|m| {
            m.participants
                .iter()
                .find(|x| x.region.as_ref() == party.region.as_ref())
                .map(|x| SignatoryInput {
                    name: x.name.clone(),
                    title: x.position.clone(),
                })
        }),
        DocumentKind::Kb | DocumentKind::Pks | DocumentKind::Addendum => recorded,
    };
    PartyInput {
        ordinal: party.ordinal,
        government: party.name.clone(),
        number: match kind {
            DocumentKind::Penawaran => party.document_number.clone(),
            _ => on_agreement.and_then(|ap| ap.number.clone()),
        },
        signatory,
        power_of_attorney: on_agreement.and_then(|ap| ap.power_of_attorney.clone()),
        unit: party.contact.unit.clone(),
        letterhead: party
            .region
            .as_ref()
            .and_then(|r| crate::letterhead::for_region(r.as_str())),
    }
}

/// The fields the text covers (the agreement's own, else all of the case's), by their
/// catalogue names where the field is the catalogue's.
fn field_names(case: &Case, agreement: Option<&Agreement>) -> Vec<String> {
    let chosen: &[u16] = agreement.map_or(&[], |a| a.fields.as_slice());
    case.fields
        .iter()
        .filter(|f| chosen.is_empty() || chosen.contains(&f.ordinal))
        .map(|f| {
            f.code
                .as_deref()
                .and_then(|c| catalog().fields.iter().find(|x| x.code == c))
                .map_or_else(|| f.label.clone(), |x| x.name.clone())
        })
        .collect()
}

fn meeting_input(m: &Meeting) -> MeetingInput {
    MeetingInput {
        kind: crate::model::meeting_kind_label(m.kind.as_str()),
        title: m.title.clone(),
        date: Some(m.date),
        place: Some(m.place.clone()),
        time: None,
        participants: m
            .participants
            .iter()
            .map(|p| format!("{}, {}", p.name, p.position))
            .collect(),
        agenda: m.agenda.clone(),
        minutes: m.minutes.clone(),
        outcomes: m.outcomes.clone(),
        next_steps: m.next_steps.iter().map(|s| s.text.clone()).collect(),
    }
}

/// Whole years between two dates, when the term is a whole number of years.
fn whole_years(a: Option<Date>, b: Option<Date>) -> Option<u32> {
    let (a, b) = (a?, b?);
    let years = u32::try_from(b.year() - a.year()).ok()?;
    (years > 0 && add_years(a, years) == b).then_some(years)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sinergi_domain::agreement::AgreementStatus;
    use sinergi_domain::case::{CaseField, CaseKind, Contact, Direction, PartyStatus, Stage};
    use sinergi_domain::ids::{CaseId, OfficialId};
    use sinergi_domain::official::ActingStatus;
    use sinergi_domain::region::RegionCode;
    use time::macros::{date, datetime};
    use uuid::Uuid;

    const AT: time::OffsetDateTime = datetime!(2026-12-01 08:00 UTC);

    fn party(ordinal: u16, region: &str, name: &str) -> Party {
        Party {
            ordinal,
            region: Some(RegionCode::parse(region).expect("code")),
            name: name.to_owned(),
            status: PartyStatus::Persiapan,
            document_number: Some(format!("000/{ordinal}")),
            signatory: None,
            contact: Contact {
                unit: Some("Bagian Kerja Sama".to_owned()),
                ..Contact::default()
            },
            dprd: Default::default(),
            acts: Default::default(),
        }
    }

    fn case() -> Case {
        Case {
            id: CaseId(Uuid::nil()),
            kind: CaseKind::KsddSukarela,
            direction: Direction::Keluar,
            title: "Pariwisata dan UMKM".to_owned(),
            object: None,
            background: None,
            stage: Stage::UsulanDraft,
            version: 1,
            published: false,
            fictional: true,
            offered: false,
            predecessor: None,
            parties: vec![
                party(1, "62", "Pemerintah Provinsi Kalimantan Tengah"),
                party(2, "51", "Pemerintah Provinsi Bali"),
            ],
            fields: vec![
                CaseField {
                    ordinal: 1,
                    code: None,
                    label: "Pariwisata".to_owned(),
                    priority: true,
                    urusan: Vec::new(),
                },
                CaseField {
                    ordinal: 2,
                    code: None,
                    label: "UMKM".to_owned(),
                    priority: false,
                    urusan: Vec::new(),
                },
            ],
            objectives: Vec::new(),
            sources: Vec::new(),
            termination: None,
            rule_set: None,
            created_at: AT,
            updated_at: AT,
        }
    }

    fn governor(region: &str, name: &str) -> Official {
        Official {
            id: OfficialId(Uuid::nil()),
            region: RegionCode::parse(region).expect("code"),
            name: name.to_owned(),
            position: "Gubernur".to_owned(),
            office: OfficeKind::KepalaDaerah,
            acting: ActingStatus::Definitif,
            unit: None,
            nip: None,
            email: None,
            phone: None,
            term_start: None,
            term_end: None,
        }
    }

    fn agreement(kind: AgreementKind, fields: Vec<u16>, parent: Option<&Agreement>) -> Agreement {
        Agreement {
            id: AgreementId::new_v7(AT),
            case_id: CaseId(Uuid::nil()),
            kind,
            parent: parent.map(|p| p.id),
            title: format!("{kind:?}"),
            fields,
            status: AgreementStatus::Penyusunan,
            place: Some("Denpasar".to_owned()),
            signed_on: Some(date!(2022 - 03 - 26)),
            starts_on: Some(date!(2022 - 03 - 26)),
            ends_on: Some(date!(2027 - 03 - 26)),
            parties: vec![AgreementParty {
                ordinal: 1,
                region: None,
                number: Some("KB/1".to_owned()),
                number_unpublished: false,
                signatory: None,
                signatory_name: Some("Sugianto Sabran".to_owned()),
                signatory_title: Some("Gubernur Kalimantan Tengah".to_owned()),
                power_of_attorney: None,
            }],
            changes: None,
            reason: None,
            version: 1,
            created_at: AT,
            updated_at: AT,
        }
    }

    #[test]
    fn an_offer_letter_without_a_recorded_signatory_is_signed_by_the_head_of_region() {
        let case = case();
        let officials = [
            governor("51", "Wayan Koster"),
            governor("62", "Sugianto Sabran"),
        ];
        let input = document_input(
            DocumentKind::Penawaran,
            None,
            CaseRecords {
                case: &case,
                agreements: &[],
                officials: &officials,
                meetings: &[],
            },
        );
        let names: Vec<_> = input
            .parties
            .iter()
            .map(|p| p.signatory.as_ref().map(|s| s.name.as_str()))
            .collect();
        assert_eq!(names, [Some("Sugianto Sabran"), Some("Wayan Koster")]);
        assert_eq!(input.parties[0].number.as_deref(), Some("000/1"));
        assert_eq!(input.title, "Pariwisata dan UMKM");
        assert!(input.parent.is_none() && input.meeting.is_none());
    }

    #[test]
    fn a_kb_without_an_agreement_is_titled_from_the_case_with_blanks() {
        let case = case();
        let input = document_input(
            DocumentKind::Kb,
            None,
            CaseRecords {
                case: &case,
                agreements: &[],
                officials: &[governor("62", "Sugianto Sabran")],
                meetings: &[],
            },
        );
        assert_eq!(
            input.title,
            "Kesepakatan Bersama tentang Pariwisata dan UMKM"
        );
        assert!(input.parties.iter().all(|p| p.signatory.is_none()));
        assert_eq!(input.fields, ["Pariwisata", "UMKM"]);
        assert_eq!(
            (input.place, input.date, input.term_years),
            (None, None, None)
        );
    }

    #[test]
    fn a_pks_covers_its_own_fields_and_names_the_kb_as_its_parent() {
        let case = case();
        let kb = agreement(AgreementKind::Kb, Vec::new(), None);
        let pks = agreement(AgreementKind::Pks, vec![2], Some(&kb));
        let agreements = [kb.clone(), pks.clone()];
        let records = CaseRecords {
            case: &case,
            agreements: &agreements,
            officials: &[],
            meetings: &[],
        };
        let input = document_input(DocumentKind::Pks, Some(pks.id), records);
        assert_eq!(input.fields, ["UMKM"]);
        assert_eq!(input.term_years, Some(5));
        assert_eq!(input.place.as_deref(), Some("Denpasar"));
        let parent = input.parent.expect("the KB");
        assert_eq!(parent.title, kb.title);
        assert_eq!(parent.numbers, [Some("KB/1".to_owned())]);
        assert_eq!(input.parties[0].number.as_deref(), Some("KB/1"));
        assert_eq!(
            input.parties[0]
                .signatory
                .as_ref()
                .map(|s| s.title.as_str()),
            Some("Gubernur Kalimantan Tengah")
        );
        assert!(input.parties[1].signatory.is_none());
        let kb_input = document_input(DocumentKind::Kb, None, records);
        assert!(kb_input.parent.is_none(), "a KB has no parent");
        assert_eq!(kb_input.fields, ["Pariwisata", "UMKM"]);
    }

    #[test]
    fn a_term_counts_in_whole_years_only() {
        assert_eq!(
            whole_years(Some(date!(2022 - 03 - 26)), Some(date!(2027 - 03 - 26))),
            Some(5)
        );
        assert_eq!(
            whole_years(Some(date!(2022 - 03 - 26)), Some(date!(2027 - 03 - 25))),
            None
        );
        assert_eq!(whole_years(Some(date!(2022 - 03 - 26)), None), None);
    }
}
