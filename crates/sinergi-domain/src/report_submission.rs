//! Reports a region sends up the line (issue 22; domain.md §9 and entity 20): the
//! identification-and-mapping result to Kemendagri, the evaluation and implementation reports
//! to the Governor and the Minister. Sinergi generates them; this records that one was sent —
//! to whom, under which letter, when, for which period.
//!
//! The reporting line is domain.md Stage 9: a province reports to the Minister; a
//! kabupaten/kota to the Minister through the Governor [U: routing detail and frequency are not
//! confirmed, so both addressees are accepted and the route is recorded, not enforced].

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{DomainError, FieldError};
use sinergi_reference::RegionLevel;

/// What was reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// The identification and mapping of urusan and potential (reported to Kemendagri).
    Pemetaan,
    /// The monitoring-and-evaluation report.
    Evaluasi,
    /// The report on the implementation of cooperation.
    Pelaksanaan,
    /// The cooperation section of the LPPD.
    Lppd,
}

impl ReportKind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pemetaan => "pemetaan",
            Self::Evaluasi => "evaluasi",
            Self::Pelaksanaan => "pelaksanaan",
            Self::Lppd => "lppd",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Pemetaan,
            Self::Evaluasi,
            Self::Pelaksanaan,
            Self::Lppd,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Pemetaan => "Hasil identifikasi dan pemetaan urusan",
            Self::Evaluasi => "Laporan monitoring dan evaluasi",
            Self::Pelaksanaan => "Laporan pelaksanaan kerja sama",
            Self::Lppd => "Bagian kerja sama dalam LPPD",
        }
    }
}

/// To whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Addressee {
    /// The Minister of Home Affairs (Ditjen Bina Administrasi Kewilayahan).
    Menteri,
    /// The Governor, as the central government's representative.
    Gubernur,
}

impl Addressee {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Menteri => "menteri",
            Self::Gubernur => "gubernur",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Menteri, Self::Gubernur]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Menteri => "Menteri Dalam Negeri",
            Self::Gubernur => "Gubernur",
        }
    }
}

/// A sent report as the secretariat records it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewReportSubmission {
    pub kind: ReportKind,
    /// `2026`, `2026-S1`/`S2` (semester) or `2026-Q1`…`Q4`.
    pub period: String,
    pub addressee: Addressee,
    /// The number of the covering letter.
    pub letter_number: String,
    pub sent_on: Date,
    pub note: Option<String>,
}

/// A validated submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSubmission {
    pub kind: ReportKind,
    pub period: String,
    pub addressee: Addressee,
    /// A kabupaten/kota's report to the Minister goes through the Governor.
    pub via_governor: bool,
    pub letter_number: String,
    pub sent_on: Date,
    pub note: Option<String>,
}

fn valid_period(p: &str) -> bool {
    let (year, part) = p.split_once('-').map_or((p, None), |(y, r)| (y, Some(r)));
    let year_ok = year.len() == 4
        && year.chars().all(|c| c.is_ascii_digit())
        && ("2000"..="2100").contains(&year);
    let part_ok = match part {
        None => true,
        Some(r) => ["S1", "S2", "Q1", "Q2", "Q3", "Q4"].contains(&r),
    };
    year_ok && part_ok
}

impl NewReportSubmission {
    /// Checks the record for a region of `level` on `today`.
    ///
    /// # Errors
    /// A malformed period, an empty letter number, a date after today, a province addressing
    /// the Governor (it reports to the Minister).
    pub fn validate(
        &self,
        level: RegionLevel,
        today: Date,
    ) -> Result<ReportSubmission, DomainError> {
        let mut errors = Vec::new();
        let period = self.period.trim().to_uppercase();
        if !valid_period(&period) {
            errors.push(FieldError::new(
                "period",
                "invalid",
                "Periode ditulis seperti 2026, 2026-S1 (semester) atau 2026-Q3 (triwulan).",
                "Write the period as 2026, 2026-S1 (semester) or 2026-Q3 (quarter).",
            ));
        }
        let letter = self.letter_number.trim();
        if letter.is_empty() {
            errors.push(FieldError::new(
                "letter_number",
                "required",
                "Nomor surat pengantar laporan wajib diisi.",
                "The number of the covering letter is required.",
            ));
        }
        if self.sent_on > today {
            errors.push(FieldError::new(
                "sent_on",
                "future",
                "Tanggal kirim belum terjadi; catat laporan setelah dikirim.",
                "The sending date has not happened yet; record a report once it is sent.",
            ));
        }
        if level == RegionLevel::Province && self.addressee == Addressee::Gubernur {
            errors.push(FieldError::new(
                "addressee",
                "invalid",
                "Provinsi menyampaikan laporan kepada Menteri Dalam Negeri, bukan kepada Gubernur.",
                "A province reports to the Minister of Home Affairs, not to the Governor.",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        Ok(ReportSubmission {
            kind: self.kind,
            period,
            addressee: self.addressee,
            via_governor: level != RegionLevel::Province && self.addressee == Addressee::Menteri,
            letter_number: letter.to_owned(),
            sent_on: self.sent_on,
            note: self
                .note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input(period: &str, addressee: Addressee) -> NewReportSubmission {
        NewReportSubmission {
            kind: ReportKind::Pemetaan,
            period: period.to_owned(),
            addressee,
            letter_number: "100.3/45/Pem".to_owned(),
            sent_on: date!(2026 - 11 - 30),
            note: None,
        }
    }

    #[test]
    fn the_reporting_line_and_the_period() {
        let today = date!(2026 - 12 - 03);
        let kota = input("2026-s2", Addressee::Menteri)
            .validate(RegionLevel::City, today)
            .unwrap();
        assert!(kota.via_governor);
        assert_eq!(kota.period, "2026-S2");
        let prov = input("2026", Addressee::Menteri)
            .validate(RegionLevel::Province, today)
            .unwrap();
        assert!(!prov.via_governor);
        assert!(
            input("2026", Addressee::Gubernur)
                .validate(RegionLevel::Province, today)
                .is_err()
        );
        assert!(
            input("26", Addressee::Menteri)
                .validate(RegionLevel::City, today)
                .is_err()
        );
        assert!(
            input("2026-S3", Addressee::Menteri)
                .validate(RegionLevel::City, today)
                .is_err()
        );
        let mut later = input("2026", Addressee::Gubernur);
        later.sent_on = date!(2026 - 12 - 31);
        assert!(later.validate(RegionLevel::Regency, today).is_err());
    }
}
