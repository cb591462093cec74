//! Agreements signed before a region used Sinergi, brought in from its register (issue 19).
//!
//! A legacy record says only what the register says: the partners, the kind, each party's
//! number, the subject, the signing date, the term or end date, the OPD, the status and notes.
//! [`LegacyRecord::plan`] turns it into a case at the stage its dates imply (signed, active,
//! ended) and its KB or PKS, inventing nothing: a term gives an end date only by counting, and
//! every derived fact is named in the plan's notes.

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::agreement::{Agreement, AgreementKind, AgreementParty, AgreementStatus};
use crate::case::{
    Case, CaseKind, Direction, NewCaseInput, PartyInput, PartyStatus, RegionDirectory, Stage,
};
use crate::error::DomainError;
use crate::ids::{AgreementId, CaseId};

/// What the register's status column says, as far as it can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusWord {
    /// "Aktif", "Berlaku", "Dalam pelaksanaan", "Berjalan".
    Active,
    /// "Berakhir", "Sudah berakhir", "Selesai", "Tidak berlaku lagi".
    Ended,
}

/// A partner as the register names it: a government resolved to its Kemendagri code, or a
/// non-government party by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LegacyPartner {
    pub region: Option<String>,
    pub name: String,
    /// This partner's number for the document, when the register keeps it.
    pub number: Option<String>,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Provenance {
    pub file: String,
    pub sheet: Option<String>,
    /// The row as the spreadsheet program numbers it; 0 for an agreement entered by hand.
    pub line: usize,
}

impl Provenance {
    /// "tercatat dari impor: register.xlsx, baris 7" — the note on the case's history.
    #[must_use]
    pub fn note(&self) -> String {
        if self.line == 0 {
            return "Dicatat dari naskah lama melalui formulir (tidak dibuat di Sinergi)"
                .to_owned();
        }
        match &self.sheet {
            Some(s) => format!(
                "Tercatat dari impor: {}, lembar {s}, baris {}",
                self.file, self.line
            ),
            None => format!("Tercatat dari impor: {}, baris {}", self.file, self.line),
        }
    }
}

/// One agreement as a register row states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LegacyRecord {
    pub kind: AgreementKind,
    pub subject: String,
    pub partners: Vec<LegacyPartner>,
    /// The importing region's own number for the document.
    pub own_number: Option<String>,
    pub signed_on: Date,
    pub starts_on: Option<Date>,
    /// The term in months ("5 (lima) tahun" = 60).
    pub term_months: Option<u32>,
    pub ends_on: Option<Date>,
    /// The OPD that carries it out.
    pub unit: Option<String>,
    pub status: Option<StatusWord>,
    pub status_text: Option<String>,
    pub notes: Option<String>,
    /// The number of the KB a PKS implements (or the document an addendum amends).
    pub parent_number: Option<String>,
    pub source: Provenance,
}

/// What a legacy record becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegacyPlan {
    pub case: Case,
    pub agreement: Agreement,
    /// Facts derived rather than read (an end date counted from the term, the stage taken from
    /// the dates over a contradicting status word), Indonesian and English.
    pub notes: Vec<(String, String)>,
}

/// The day a term ends: the day before the same date `months` later ("berlaku 5 tahun sejak
/// ditandatangani" from 14 Feb 2023 ends on 13 Feb 2028); a day past the month's end is
/// clamped to it (31 Aug + 6 months → 28/29 Feb, less one day).
#[must_use]
pub fn term_end(start: Date, months: u32) -> Option<Date> {
    let total =
        i64::from(start.year()) * 12 + i64::from(u8::from(start.month())) - 1 + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month = Month::try_from(u8::try_from(total.rem_euclid(12) + 1).ok()?).ok()?;
    let last = time::util::days_in_month(month, year);
    let day = start.day().min(last);
    Date::from_calendar_date(year, month, day)
        .ok()?
        .previous_day()
}

/// The stage a signed agreement is at on `today`, from its dates, and the note when the
/// register's status word says otherwise.
#[must_use]
pub fn infer_stage(
    starts_on: Date,
    ends_on: Option<Date>,
    status: Option<StatusWord>,
    today: Date,
) -> (Stage, Option<(String, String)>) {
    let by_dates = match ends_on {
        Some(end) if end < today => Some(Stage::Berakhir),
        _ if starts_on > today => Some(Stage::KbDitandatangani),
        Some(_) => Some(Stage::Aktif),
        None => None,
    };
    let by_word = status.map(|s| match s {
        StatusWord::Active => Stage::Aktif,
        StatusWord::Ended => Stage::Berakhir,
    });
    match (by_dates, by_word) {
        (Some(d), Some(w)) if d != w => (
            d,
            Some((
                format!(
                    "Status di register ({}) bertentangan dengan tanggalnya; tahap diambil dari tanggal: {}.",
                    w.label_id(),
                    d.label_id()
                ),
                format!(
                    "The register's status ({}) contradicts its dates; the stage follows the dates: {}.",
                    w.label_en(),
                    d.label_en()
                ),
            )),
        ),
        (Some(d), _) => (d, None),
        (None, Some(w)) => (w, None),
        // Signed, with no end and no status: only the signing is known.
        (None, None) => (Stage::KbDitandatangani, None),
    }
}

impl LegacyRecord {
    /// A key that is the same whenever the same agreement is read again (same importing
    /// region, kind, partners, signing date, numbers and subject words), so re-importing a
    /// file creates nothing new.
    #[must_use]
    pub fn key(&self, region: &str) -> String {
        let mut partners: Vec<String> = self
            .partners
            .iter()
            .map(|p| {
                p.region
                    .clone()
                    .unwrap_or_else(|| sinergi_reference::search_key(&p.name))
            })
            .collect();
        partners.sort();
        let mut numbers: Vec<String> = self
            .partners
            .iter()
            .filter_map(|p| p.number.as_deref())
            .chain(self.own_number.as_deref())
            .map(sinergi_reference::search_key)
            .collect();
        numbers.sort();
        let text = format!(
            "{region}|{}|{}|{}|{}|{}",
            self.kind.as_str(),
            partners.join(","),
            self.signed_on,
            numbers.join(","),
            sinergi_reference::search_key(&self.subject),
        );
        crate::audit::sha256_hex(text.as_bytes())
    }

    /// The case and its KB/PKS for `region`'s register, at the stage the dates imply.
    ///
    /// # Errors
    /// The case rules (unknown or repeated parties, a kind the parties do not allow), a
    /// signing date after `now`, an end before the start.
    pub fn plan(
        &self,
        region: &str,
        regions: &dyn RegionDirectory,
        now: OffsetDateTime,
    ) -> Result<LegacyPlan, DomainError> {
        let today = now.date();
        if self.signed_on > today {
            return Err(DomainError::guard(
                "import.signed_in_future",
                format!(
                    "Tanggal penandatanganan {} belum terjadi; register hanya memuat kesepakatan yang sudah ditandatangani.",
                    crate::locale::date_short(self.signed_on, crate::lang::Lang::Id)
                ),
                format!(
                    "The signing date {} has not happened yet; a register holds signed agreements only.",
                    self.signed_on
                ),
            ));
        }
        let starts_on = self.starts_on.unwrap_or(self.signed_on);
        let mut notes = Vec::new();
        let ends_on = match (self.ends_on, self.term_months) {
            (Some(end), _) => Some(end),
            (None, Some(months)) => {
                let end = term_end(starts_on, months);
                if let Some(end) = end {
                    notes.push((
                        format!(
                            "Tanggal berakhir {} dihitung dari jangka waktu {} bulan.",
                            crate::locale::date_short(end, crate::lang::Lang::Id),
                            months
                        ),
                        format!("End date {end} counted from the term of {months} months."),
                    ));
                }
                end
            }
            (None, None) => None,
        };
        if let Some(end) = ends_on
            && end < starts_on
        {
            return Err(DomainError::guard(
                "import.ends_before_start",
                format!(
                    "Tanggal berakhir {} sebelum tanggal mulai {}.",
                    crate::locale::date_short(end, crate::lang::Lang::Id),
                    crate::locale::date_short(starts_on, crate::lang::Lang::Id)
                ),
                format!("The end date {end} is before the start date {starts_on}."),
            ));
        }
        let (stage, note) = infer_stage(starts_on, ends_on, self.status, today);
        notes.extend(note);

        let third_party = self.partners.iter().any(|p| p.region.is_none());
        let mut parties = vec![PartyInput {
            region: Some(region.to_owned()),
            name: None,
            contact: crate::case::Contact::default(),
        }];
        parties.extend(self.partners.iter().map(|p| PartyInput {
            region: p.region.clone(),
            name: p.region.is_none().then(|| p.name.clone()),
            contact: crate::case::Contact::default(),
        }));
        let input = NewCaseInput {
            title: self.subject.clone(),
            kind: if third_party {
                CaseKind::Ksdpk
            } else {
                CaseKind::KsddSukarela
            },
            direction: Direction::Keluar,
            object: None,
            background: None,
            parties,
            fields: Vec::new(),
            objectives: Vec::new(),
            sources: Vec::new(),
            published: false,
            fictional: false,
            predecessor: None,
        };
        // A register names no field; none is invented.
        let mut case = input.validate_with(CaseId::new_v7(now), regions, now, false)?;
        case.stage = stage;
        case.offered = true;
        for p in &mut case.parties {
            p.status = PartyStatus::Ditandatangani;
        }
        let numbers = std::iter::once(self.own_number.clone())
            .chain(self.partners.iter().map(|p| p.number.clone()));
        let agreement = Agreement {
            id: AgreementId::new_v7(now),
            case_id: case.id,
            kind: self.kind,
            parent: None,
            title: self.subject.clone(),
            fields: Vec::new(),
            status: match stage {
                Stage::Aktif => AgreementStatus::Pelaksanaan,
                Stage::Berakhir => AgreementStatus::Selesai,
                _ => AgreementStatus::Ditandatangani,
            },
            place: None,
            signed_on: Some(self.signed_on),
            starts_on: self.starts_on,
            ends_on,
            parties: case
                .parties
                .iter()
                .zip(numbers)
                .map(|(p, number)| AgreementParty {
                    ordinal: p.ordinal,
                    region: p.region.clone(),
                    number,
                    number_unpublished: false,
                    signatory: None,
                    signatory_name: None,
                    signatory_title: None,
                    power_of_attorney: None,
                })
                .collect(),
            changes: None,
            reason: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        Ok(LegacyPlan {
            case,
            agreement,
            notes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_term_ends_the_day_before_its_anniversary() {
        assert_eq!(
            term_end(date!(2023 - 02 - 14), 60),
            Some(date!(2028 - 02 - 13))
        );
        assert_eq!(
            term_end(date!(2023 - 08 - 31), 6),
            Some(date!(2024 - 02 - 28))
        );
        assert_eq!(
            term_end(date!(2020 - 01 - 01), 24),
            Some(date!(2021 - 12 - 31))
        );
    }

    #[test]
    fn the_stage_follows_the_dates_and_says_when_the_word_disagrees() {
        let today = date!(2026 - 12 - 03);
        let start = date!(2020 - 08 - 10);
        assert_eq!(
            infer_stage(start, Some(date!(2025 - 08 - 09)), None, today).0,
            Stage::Berakhir
        );
        assert_eq!(
            infer_stage(start, Some(date!(2027 - 08 - 09)), None, today).0,
            Stage::Aktif
        );
        let (stage, note) = infer_stage(
            start,
            Some(date!(2025 - 08 - 09)),
            Some(StatusWord::Active),
            today,
        );
        assert_eq!(stage, Stage::Berakhir);
        assert!(note.unwrap().0.contains("bertentangan"));
        assert_eq!(
            infer_stage(start, None, Some(StatusWord::Ended), today).0,
            Stage::Berakhir
        );
        assert_eq!(
            infer_stage(start, None, None, today).0,
            Stage::KbDitandatangani
        );
    }
}
